import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import { isTransientDatabaseError } from './transient-error';

export class IngestHaltedError extends Error {
  constructor() {
    super('ingest halted by shutdown');
  }
}

/**
 * Retries transient database failures with capped exponential backoff (decorrelated jitter) for as
 * long as it takes, until `halt` is aborted. Cockatiel's own delay is not abortable, so the halt is
 * checked before every attempt: no write starts after shutdown gave up.
 */
export class DurableRetry {
  private readonly policy: RetryPolicy;

  constructor(
    initialDelayMs: number,
    maxDelayMs: number,
    private readonly halt: AbortSignal,
  ) {
    this.policy = retry(handleWhen(isTransientDatabaseError), {
      maxAttempts: Number.MAX_SAFE_INTEGER,
      backoff: new ExponentialBackoff({ initialDelay: initialDelayMs, maxDelay: maxDelayMs }),
    });
  }

  get halted(): boolean {
    return this.halt.aborted;
  }

  execute<T>(attempt: () => Promise<T>): Promise<T> {
    return this.policy.execute(() => {
      if (this.halt.aborted) throw new IngestHaltedError();
      return attempt();
    }, this.halt);
  }
}
