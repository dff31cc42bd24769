import type { Types } from 'mongoose';
import type { InsertOutcome } from '../conversations/messages.repository';
import type { DurableMessage, IngestOutcome, PendingMessage } from './inbound-item';
import { DurableRetry } from '../core/database/durable-retry';
import { isPermanentDocumentError, mayHaveBeenApplied } from '../core/database/transient-error';

/** A message refused alone for an unclear reason is written again this often before it is kept aside. */
const MAX_DOCUMENT_FAILURES = 5;

export interface InboundWriterSink {
  /** One insert command for the whole batch; an outcome per message, or a throw for the command. */
  insert(batch: PendingMessage[]): Promise<InsertOutcome[]>;
  /** Keeps a message that can never be stored, with the reason; durable when it resolves. */
  deadLetter(message: PendingMessage, reason: string): Promise<void>;
  /** Messages just made durable (and those whose earlier, failed attempt may have stored them). */
  durable(messages: DurableMessage[]): void;
  /** A settled message leaves the memory budget. */
  released(count: number): void;
  outcome(result: IngestOutcome['result'] | 'retry'): void;
}

export interface InboundWriterOptions {
  maxBatch: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
  /** Aborted when shutdown gives up: what is not durable then fails. */
  halt: AbortSignal;
  /** The clock `writeAgeMs` reads (tests set it). */
  now?: () => number;
}

/**
 * One company's inbound messages on their way to one insert command at a time. Whatever arrives
 * while an insert runs, or in the same turn of the event loop, goes into the next one, so a message
 * never waits for a timer: one insert per batch, and batches grow with load by themselves. Transient
 * failures (our own gate, a lost or unreachable database) are retried with capped backoff until the
 * write succeeds or the writer is halted; only a message the server refuses by itself is dead-lettered.
 */
export class InboundWriter {
  private readonly queue: PendingMessage[] = [];
  private inFlight: PendingMessage[] = [];
  private writing = false;
  private pumpScheduled = false;
  private readonly retry: DurableRetry;
  private idleWaiters: Array<() => void> = [];
  private writingSince?: number;
  private readonly now: () => number;
  lastFailure?: { at: Date; message: string };

  constructor(
    private readonly sink: InboundWriterSink,
    private readonly options: InboundWriterOptions,
  ) {
    this.retry = new DurableRetry(options.retryInitialDelayMs, options.retryMaxDelayMs, options.halt);
    this.now = options.now ?? Date.now;
  }

  get pending(): number {
    return this.queue.length + this.inFlight.length;
  }

  /** How long the batch being written has been trying to become durable (retries included); 0 when none is. */
  get writeAgeMs(): number {
    return this.writingSince === undefined ? 0 : this.now() - this.writingSince;
  }

  /** The id of the oldest message not yet durable, if any. */
  oldestPendingId(): Types.ObjectId | undefined {
    return this.inFlight[0]?.id ?? this.queue[0]?.id;
  }

  /** Messages added in the same turn of the event loop (a request's batch, a socket's read) share one insert. */
  add(message: PendingMessage): void {
    this.queue.push(message);
    if (this.writing || this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      void this.pump();
    });
  }

  /** Resolves once nothing is queued or being written. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resume) => this.idleWaiters.push(resume));
  }

  private async pump(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        this.inFlight = this.queue.splice(0, this.options.maxBatch);
        this.writingSince = this.now();
        await this.writeDurably(this.inFlight);
        const count = this.inFlight.length;
        this.inFlight = [];
        this.sink.released(count);
      }
    } finally {
      this.writing = false;
      this.writingSince = undefined;
      for (const resume of this.idleWaiters.splice(0)) resume();
    }
  }

  private async writeDurably(batch: PendingMessage[]): Promise<void> {
    let mayExistAlready = false;
    let outcomes: InsertOutcome[];
    try {
      outcomes = await this.retry.execute(async () => {
        try {
          return await this.sink.insert(batch);
        } catch (error) {
          mayExistAlready ||= mayHaveBeenApplied(error);
          this.lastFailure = { at: new Date(), message: (error as Error).message };
          this.sink.outcome('retry');
          throw error;
        }
      });
    } catch (error) {
      if (!this.retry.halted && batch.length > 1) return this.isolate(batch);
      if (!this.retry.halted) return this.refuse(batch[0], (error as Error).message);
      for (const message of batch) message.fail(error as Error);
      return;
    }
    this.lastFailure = undefined;
    const durable: DurableMessage[] = [];
    const again: PendingMessage[] = [];
    const storedAt = Date.now();
    for (const [index, outcome] of outcomes.entries()) {
      const message = batch[index];
      if (outcome instanceof Error) {
        message.documentFailures = (message.documentFailures ?? 0) + 1;
        if (isPermanentDocumentError(outcome) || message.documentFailures >= MAX_DOCUMENT_FAILURES) await this.refuse(message, outcome.message);
        else again.push(message);
        continue;
      }
      if (outcome === 'inserted' || mayExistAlready) durable.push({ id: message.id, session: message.session, message: message.message, storedAt });
      this.settle(message, { result: outcome === 'inserted' ? 'stored' : 'duplicate' });
    }
    if (durable.length > 0) this.sink.durable(durable);
    if (again.length > 0) {
      await new Promise((resume) =>
        setTimeout(resume, Math.min(this.options.retryMaxDelayMs, this.options.retryInitialDelayMs * 2 ** (again[0].documentFailures ?? 1))),
      );
      await this.writeDurably(again);
    }
  }

  /** A command the server refused outright: written one by one, so one bad message cannot hold the others. */
  private async isolate(batch: PendingMessage[]): Promise<void> {
    for (const message of batch) await this.writeDurably([message]);
  }

  private async refuse(message: PendingMessage, reason: string): Promise<void> {
    try {
      await this.retry.execute(() => this.sink.deadLetter(message, reason));
      this.settle(message, { result: 'rejected', reason });
    } catch (error) {
      message.fail(error as Error);
    }
  }

  private settle(message: PendingMessage, outcome: IngestOutcome): void {
    this.sink.outcome(outcome.result);
    message.settle(outcome);
  }
}
