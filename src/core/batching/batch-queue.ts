export type Outcome<R> = { ok: true; value: R } | { ok: false; error: Error };

export interface BatchQueueOptions {
  /** A batch is written as soon as this many items wait. */
  maxBatchSize: number;
  /** No item waits longer than this before its batch is written. */
  maxWaitMs: number;
  /** Items waiting beyond this make `add` wait (backpressure) instead of growing memory. */
  maxPending: number;
}

/** Writes one batch and answers one outcome per item, in order. Throwing fails every item of the batch. */
export type BatchWriter<I, R> = (items: I[]) => Promise<Outcome<R>[]>;

interface Entry<I, R> {
  item: I;
  enqueuedAt: number;
  resolve(value: R): void;
  reject(error: Error): void;
}

/**
 * Collects items and writes them in batches, by size or by age, one batch at a time. Each caller's
 * promise settles with its own item's outcome once the batch holding it has been written.
 */
export class BatchQueue<I, R> {
  private buffer: Entry<I, R>[] = [];
  private writing = false;
  private timer?: NodeJS.Timeout;
  private spaceWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly options: BatchQueueOptions,
    private readonly writer: BatchWriter<I, R>,
  ) {}

  get pending(): number {
    return this.buffer.length;
  }

  async add(item: I): Promise<R> {
    while (this.buffer.length >= this.options.maxPending) {
      await new Promise<void>((resume) => this.spaceWaiters.push(resume));
    }
    const settled = new Promise<R>((resolve, reject) => {
      this.buffer.push({ item, enqueuedAt: Date.now(), resolve, reject });
    });
    this.schedule();
    return settled;
  }

  /** Writes everything pending (including what arrives meanwhile) and resolves when idle. */
  async drain(): Promise<void> {
    while (this.buffer.length > 0 || this.writing) {
      const idle = new Promise<void>((resume) => this.idleWaiters.push(resume));
      this.schedule(true);
      await idle;
    }
  }

  private schedule(force = false): void {
    if (this.writing || this.buffer.length === 0) return;
    const age = Date.now() - this.buffer[0].enqueuedAt;
    if (force || this.buffer.length >= this.options.maxBatchSize || age >= this.options.maxWaitMs) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.writeNext();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, this.options.maxWaitMs - age);
    }
  }

  private async writeNext(): Promise<void> {
    this.writing = true;
    const batch = this.buffer.splice(0, this.options.maxBatchSize);
    this.releaseSpace();
    try {
      const outcomes = await this.writer(batch.map((entry) => entry.item));
      batch.forEach((entry, index) => {
        const outcome = outcomes[index] ?? { ok: false, error: new Error('writer returned no outcome for this item') };
        if (outcome.ok) entry.resolve(outcome.value);
        else entry.reject(outcome.error);
      });
    } catch (error) {
      for (const entry of batch) entry.reject(error as Error);
    } finally {
      this.writing = false;
    }
    if (this.buffer.length === 0) this.releaseIdle();
    this.schedule(this.idleWaiters.length > 0);
  }

  private releaseSpace(): void {
    const free = this.options.maxPending - this.buffer.length;
    for (const resume of this.spaceWaiters.splice(0, Math.max(0, free))) resume();
  }

  private releaseIdle(): void {
    for (const resume of this.idleWaiters.splice(0)) resume();
  }
}
