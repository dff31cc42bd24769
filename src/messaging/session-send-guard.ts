import { Inject, Injectable } from '@nestjs/common';
import { CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, TimeoutStrategy, circuitBreaker, handleAll, timeout, wrap, type IPolicy } from 'cockatiel';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { messagingConfig, type MessagingConfig } from '../core/config/configuration';

export type GuardVerdict<T> = { ok: true; value: T } | { ok: false; retryInMs: number; counted: boolean; reason: string };

/**
 * Per-session protection around a provider send: a rate limit (deferred, not counted as a try), a
 * circuit breaker that stops hammering a broken session (deferred while open), and a timeout per try.
 */
@Injectable()
export class SessionSendGuard {
  private readonly rate: RateLimiterMemory;
  private readonly policies = new LRUCache<string, { breaker: CircuitBreakerPolicy; policy: IPolicy }>({ max: 10_000 });

  constructor(@Inject(messagingConfig.KEY) private readonly config: MessagingConfig) {
    this.rate = new RateLimiterMemory({ keyPrefix: 'send', points: config.ratePerMinute, duration: 60 });
  }

  async run<T>(sessionKey: string, send: () => Promise<T>): Promise<GuardVerdict<T>> {
    try {
      await this.rate.consume(sessionKey);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { ok: false, retryInMs: rejection.msBeforeNext, counted: false, reason: 'session rate limit' };
      throw rejection;
    }
    const { breaker, policy } = this.policyFor(sessionKey);
    if (breaker.state === CircuitState.Open) {
      return { ok: false, retryInMs: this.config.breakerHalfOpenMs, counted: false, reason: 'circuit open after repeated failures' };
    }
    try {
      return { ok: true, value: await policy.execute(() => send()) };
    } catch (error) {
      return { ok: false, retryInMs: 0, counted: true, reason: (error as Error).message || String(error) };
    }
  }

  private policyFor(sessionKey: string) {
    let entry = this.policies.get(sessionKey);
    if (!entry) {
      const breaker = circuitBreaker(handleAll, {
        halfOpenAfter: this.config.breakerHalfOpenMs,
        breaker: new ConsecutiveBreaker(this.config.breakerFailures),
      });
      entry = { breaker, policy: wrap(breaker, timeout(this.config.sendTimeoutMs, TimeoutStrategy.Aggressive)) };
      this.policies.set(sessionKey, entry);
    }
    return entry;
  }
}
