import { BulkheadPolicy, BulkheadRejectedError, bulkhead } from 'cockatiel';

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
 */
export class TenantOperationGate {
  private readonly bulkhead: BulkheadPolicy;
  private active = 0;
  private peakActive = 0;
  private rejected = 0;

  constructor(readonly limits: GateLimits) {
    this.bulkhead = bulkhead(limits.maxConcurrent, limits.queueSize);
  }

  async run<T>(operation: () => Promise<T>): Promise<T> {
    const waitAbort = new AbortController();
    let started = false;
    let timer: NodeJS.Timeout | undefined;
    const execution = this.bulkhead.execute(async () => {
      started = true;
      clearTimeout(timer);
      this.active++;
      this.peakActive = Math.max(this.peakActive, this.active);
      try {
        return await operation();
      } finally {
        this.active--;
      }
    }, waitAbort.signal);
    if (started) return this.translate(execution);
    const waited = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (started) return;
        waitAbort.abort();
        reject(new GateRejectedError('wait-timeout'));
      }, this.limits.waitTimeoutMs);
    });
    execution.catch(() => undefined);
    try {
      return await Promise.race([this.translate(execution), waited]);
    } catch (error) {
      if (error instanceof GateRejectedError) this.rejected++;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  stats(): GateStats {
    return {
      active: this.active,
      queued: this.limits.queueSize - this.bulkhead.queueSlots,
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

  resetPeak(): void {
    this.peakActive = this.active;
  }

  private async translate<T>(execution: Promise<T>): Promise<T> {
    try {
      return await execution;
    } catch (error) {
      if (error instanceof BulkheadRejectedError) throw new GateRejectedError('queue-full');
      throw error;
    }
  }
}
