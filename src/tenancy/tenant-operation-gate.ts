import { BulkheadPolicy, bulkhead } from 'cockatiel';

export interface GateLimits {
  maxConcurrent: number;
  queueSize: number;
  waitTimeoutMs: number;
}

export interface GateStats {
  active: number;
  queued: number;
  peakActive: number;
  rejected: number;
  limit: number;
}

/** Why a caller was turned away: the queue was full, or it waited longer than allowed. */
export class GateRejectedError extends Error {
  constructor(readonly reason: 'queue-full' | 'wait-timeout') {
    super(`operation rejected: ${reason}`);
  }
}

/**
 * Caps how many database operations one company runs at once (a cockatiel bulkhead), with a bounded
 * wait queue and a wait timeout that applies to queueing only, never to an operation already running.
 * The queue bound is counted here: the bulkhead keeps a timed-out caller's entry until its turn comes,
 * so its own queue count would turn new callers away for callers that have already given up.
 */
export class TenantOperationGate {
  private readonly bulkhead: BulkheadPolicy;
  private active = 0;
  private waiting = 0;
  private peakActive = 0;
  private rejected = 0;

  constructor(readonly limits: GateLimits) {
    this.bulkhead = bulkhead(limits.maxConcurrent, Number.MAX_SAFE_INTEGER);
  }

  async run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.active >= this.limits.maxConcurrent && this.waiting >= this.limits.queueSize) {
      this.rejected++;
      throw new GateRejectedError('queue-full');
    }
    const waitAbort = new AbortController();
    let state: 'queued' | 'started' | 'abandoned' = 'queued';
    let counted = false;
    let timer: NodeJS.Timeout | undefined;
    const execution = this.bulkhead.execute(async () => {
      if (counted) this.waiting--;
      state = 'started';
      clearTimeout(timer);
      this.active++;
      this.peakActive = Math.max(this.peakActive, this.active);
      try {
        return await operation();
      } finally {
        this.active--;
      }
    }, waitAbort.signal);
    const startedAtOnce = (): boolean => state === 'started';
    if (startedAtOnce()) return execution;
    this.waiting++;
    counted = true;
    const waited = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (state !== 'queued') return;
        state = 'abandoned';
        this.waiting--;
        this.rejected++;
        waitAbort.abort();
        reject(new GateRejectedError('wait-timeout'));
      }, this.limits.waitTimeoutMs);
    });
    execution.catch(() => undefined);
    try {
      return await Promise.race([execution, waited]);
    } finally {
      clearTimeout(timer);
    }
  }

  stats(): GateStats {
    return {
      active: this.active,
      queued: this.waiting,
      peakActive: this.peakActive,
      rejected: this.rejected,
      limit: this.limits.maxConcurrent,
    };
  }

  /** 0..1: how full the gate is, counting the queue as over capacity. */
  saturation(): number {
    const { active, queued, limit } = this.stats();
    return Math.min(1, (active + queued) / limit);
  }
}
