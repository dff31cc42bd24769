import { Inject, Injectable } from '@nestjs/common';
import { CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { messagingConfig, type MessagingConfig } from '../core/config/configuration';
import type { SendResult } from '../providers/provider.port';
import type { SendOutcome } from './send-outcome';

class SendTimedOut extends Error {}

/**
 * Per-session protection around a provider send: a rate limit (deferred, not counted as a try), a circuit
 * breaker that stops hammering a broken session (deferred while open), and a timeout per try. A try that
 * times out is not abandoned: its late result is awaited for one more timeout, so the outcome can be told.
 */
@Injectable()
export class SessionSendGuard {
  private readonly rate: RateLimiterMemory;
  private readonly breakers = new LRUCache<string, CircuitBreakerPolicy>({ max: 10_000 });

  constructor(@Inject(messagingConfig.KEY) private readonly config: MessagingConfig) {
    this.rate = new RateLimiterMemory({ keyPrefix: 'send', points: config.ratePerMinute, duration: 60 });
  }

  /** How long a message may be held by one try: the timeout plus the wait for a late result. */
  get holdMs(): number {
    return this.config.sendTimeoutMs * 2;
  }

  async run(sessionKey: string, send: () => Promise<SendResult>): Promise<SendOutcome> {
    try {
      await this.rate.consume(sessionKey);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { kind: 'deferred', retryInMs: rejection.msBeforeNext, reason: 'session rate limit' };
      throw rejection;
    }
    const breaker = this.breakerFor(sessionKey);
    if (breaker.state === CircuitState.Open)
      return { kind: 'deferred', retryInMs: this.config.breakerHalfOpenMs, reason: 'circuit open after repeated failures' };
    let attempt: Promise<SendResult> | undefined;
    try {
      const result = await breaker.execute(() => within((attempt = send()), this.config.sendTimeoutMs));
      return { kind: 'sent', providerMessageId: result.providerMessageId };
    } catch (error) {
      if (!(error instanceof SendTimedOut) || !attempt) return { kind: 'error', error };
      return { kind: 'timeout', late: await lateResult(attempt, this.config.sendTimeoutMs) };
    }
  }

  private breakerFor(sessionKey: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(sessionKey);
    if (!breaker) {
      breaker = circuitBreaker(handleAll, { halfOpenAfter: this.config.breakerHalfOpenMs, breaker: new ConsecutiveBreaker(this.config.breakerFailures) });
      this.breakers.set(sessionKey, breaker);
    }
    return breaker;
  }
}

async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new SendTimedOut('send timed out')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function lateResult(attempt: Promise<SendResult>, graceMs: number): Promise<Extract<SendOutcome, { kind: 'timeout' }>['late']> {
  try {
    const result = await within(attempt, graceMs);
    return { kind: 'sent', providerMessageId: result.providerMessageId };
  } catch (error) {
    return error instanceof SendTimedOut ? undefined : { kind: 'error', error };
  }
}
