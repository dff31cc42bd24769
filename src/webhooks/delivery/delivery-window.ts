import type { LoggedEvent } from '../../events/event-types';
import { retryDelayMs, type RetryBackoff } from './retry-backoff';

/** One event of the window on its way to an endpoint. */
export interface PendingDelivery {
  readonly event: LoggedEvent;
  readonly lane: string;
  /** HTTP tries made so far. */
  attempts: number;
  /** When the first try failed, or the event was first held back by an open breaker: the retry horizon runs from here. */
  firstFailedAt?: number;
  nextAttemptAt: number;
  /** Being sent, or being dead-lettered: nothing else may start on it. */
  busy: boolean;
  lastStatus?: number;
  lastError?: string;
}

export interface WindowOptions {
  /** Events held at most (pending, not yet delivered or dead-lettered). */
  capacity: number;
  retry: RetryBackoff & { horizonMs: number };
  random?: () => number;
}

interface Slot {
  cursor: number;
  done: boolean;
}

/** Events without a session share one lane. */
const NO_SESSION = '';

/**
 * The in-memory part of delivery to one endpoint: a bounded window of events read after a durable
 * cursor, split into lanes by session. A lane sends its head only, so a session's events arrive in log
 * order; lanes go in parallel. A failed head is retried with backoff until the retry horizon has passed
 * since it first failed, then the caller dead-letters it and the lane moves on. `safeCursor` is the
 * highest cursor below which every event is delivered, dead-lettered or filtered out: what may be persisted.
 *
 * Head-of-line trade-off: a session whose head keeps failing holds its later events (up to the window)
 * for as long as the horizon; other sessions' lanes are not held, until the window is full of them.
 */
export class DeliveryWindow {
  private readonly lanes = new Map<string, PendingDelivery[]>();
  private readonly slots: Slot[] = [];
  private readonly slotOf = new Map<PendingDelivery, Slot>();
  private first = 0;
  private pending = 0;
  private busyCount = 0;
  private readFrom: number;
  private safe: number;

  constructor(
    startAfter: number,
    private readonly options: WindowOptions,
  ) {
    this.readFrom = startAfter;
    this.safe = startAfter;
  }

  /** Pending events (not yet delivered, dead-lettered or filtered out). */
  get size(): number {
    return this.pending;
  }

  get room(): number {
    return Math.max(0, this.options.capacity - this.pending);
  }

  get inFlight(): number {
    return this.busyCount;
  }

  /** Where the next read starts (`after`). */
  get readCursor(): number {
    return this.readFrom;
  }

  get safeCursor(): number {
    return this.safe;
  }

  /** Adds a page read after `readCursor`, in log order; `next` is where the read ended (past filtered events too). */
  add(events: readonly LoggedEvent[], next: number, wanted: (event: LoggedEvent) => boolean, now: number): void {
    for (const event of events) {
      if (event.cursor <= this.readFrom) continue;
      const slot: Slot = { cursor: event.cursor, done: !wanted(event) };
      this.slots.push(slot);
      this.readFrom = event.cursor;
      if (slot.done) continue;
      const delivery: PendingDelivery = { event, lane: event.session ?? NO_SESSION, attempts: 0, nextAttemptAt: now, busy: false };
      this.slotOf.set(delivery, slot);
      const lane = this.lanes.get(delivery.lane);
      if (lane) lane.push(delivery);
      else this.lanes.set(delivery.lane, [delivery]);
      this.pending++;
    }
    this.readFrom = Math.max(this.readFrom, next);
    this.advance();
  }

  /**
   * Lane heads that may be sent now, oldest first, at most `limit`; they are busy until settled or released. A head
   * past its horizon is not tried again: it waits for `takeExpired` (else a try ending past the horizon would start
   * the next one at once, and the endpoint would be hammered until the dead letter got its turn).
   */
  takeDue(now: number, limit: number): PendingDelivery[] {
    const due = this.heads().filter((head) => !head.busy && head.nextAttemptAt <= now && this.expiryOf(head) > now);
    const taken = due.sort((a, b) => a.event.cursor - b.event.cursor).slice(0, Math.max(0, limit));
    for (const delivery of taken) this.setBusy(delivery, true);
    return taken;
  }

  /** Heads whose retry horizon has passed (and not put off by `release`): busy from now on, for the caller to dead-letter and then `settle`. */
  takeExpired(now: number): PendingDelivery[] {
    const expired = this.heads().filter((head) => !head.busy && this.expiryOf(head) <= now);
    for (const delivery of expired) this.setBusy(delivery, true);
    return expired;
  }

  /** The endpoint's breaker is open: heads wait, and their retry horizon starts if it has not. */
  hold(now: number, reason: string): void {
    for (const head of this.heads()) {
      if (head.busy || head.firstFailedAt !== undefined) continue;
      head.firstFailedAt = now;
      head.lastError ??= reason;
    }
  }

  /** A try failed: retried after a backoff (the horizon is checked by `takeExpired`). */
  failed(delivery: PendingDelivery, now: number, outcome: { status?: number; error: string }): void {
    delivery.attempts++;
    delivery.firstFailedAt ??= now;
    delivery.lastStatus = outcome.status;
    delivery.lastError = outcome.error;
    // Past the horizon there is no next try: the head is due for its dead letter now.
    const pastHorizon = now - delivery.firstFailedAt >= this.options.retry.horizonMs;
    delivery.nextAttemptAt = pastHorizon ? now : now + retryDelayMs(delivery.attempts, this.options.retry, this.options.random);
    this.setBusy(delivery, false);
  }

  /** Not tried after all (breaker refused, shutdown): back to the head of its lane, due at `at`. */
  release(delivery: PendingDelivery, at: number): void {
    delivery.nextAttemptAt = Math.max(delivery.nextAttemptAt, at);
    this.setBusy(delivery, false);
  }

  /** Delivered or dead-lettered: the lane moves on. */
  settle(delivery: PendingDelivery): void {
    const lane = this.lanes.get(delivery.lane);
    if (!lane || lane[0] !== delivery) throw new Error(`event ${delivery.event.id} settled out of lane order`);
    lane.shift();
    if (lane.length === 0) this.lanes.delete(delivery.lane);
    this.setBusy(delivery, false);
    this.slotOf.get(delivery)!.done = true;
    this.slotOf.delete(delivery);
    this.pending--;
    this.advance();
  }

  /** When something next becomes due or expires; `includeDue: false` (no free slot, breaker open) counts expiries only. */
  nextWakeAt({ includeDue = true }: { includeDue?: boolean } = {}): number | undefined {
    let wake: number | undefined;
    for (const head of this.heads()) {
      if (head.busy) continue;
      const at = includeDue ? Math.min(head.nextAttemptAt, this.expiryOf(head)) : this.expiryOf(head);
      if (at !== Infinity) wake = wake === undefined ? at : Math.min(wake, at);
    }
    return wake;
  }

  /** The oldest pending event's timestamp (ms), for the lag gauge. */
  oldestPendingAt(): number | undefined {
    const heads = this.heads();
    return heads.length === 0 ? undefined : Math.min(...heads.map((head) => Date.parse(head.event.timestamp)));
  }

  /** When a head becomes a dead letter: the horizon after its first failure, or later if its next try is later. */
  private expiryOf(head: PendingDelivery): number {
    return head.firstFailedAt === undefined ? Infinity : Math.max(head.firstFailedAt + this.options.retry.horizonMs, head.nextAttemptAt);
  }

  private heads(): PendingDelivery[] {
    return [...this.lanes.values()].map((lane) => lane[0]);
  }

  private setBusy(delivery: PendingDelivery, busy: boolean): void {
    if (delivery.busy !== busy) this.busyCount += busy ? 1 : -1;
    delivery.busy = busy;
  }

  private advance(): void {
    while (this.first < this.slots.length && this.slots[this.first].done) this.safe = this.slots[this.first++].cursor;
    if (this.first === this.slots.length) this.safe = Math.max(this.safe, this.readFrom);
    if (this.first > 1_024 && this.first * 2 > this.slots.length) {
      this.slots.splice(0, this.first);
      this.first = 0;
    }
  }
}
