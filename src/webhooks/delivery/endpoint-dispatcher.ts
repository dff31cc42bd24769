import { Logger } from '@nestjs/common';
import { BrokenCircuitError, circuitBreaker, CircuitState, ConsecutiveBreaker, handleType, type CircuitBreakerPolicy } from 'cockatiel';
import { settleWithin } from '../../core/async/settle-within';
import type { EventLogReader } from '../../events/event-log.reader';
import type { LoggedEvent } from '../../events/event-types';
import type { CompanyRecord } from '../../tenancy/company';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { WebhookDeadLettersRepository } from '../repositories/webhook-dead-letters.repository';
import type { WebhookEndpointsRepository } from '../repositories/webhook-endpoints.repository';
import type { WebhookMetrics } from '../webhook-metrics';
import type { BreakerState } from '../webhook-endpoint';
import type { WebhooksConfig } from '../webhooks.config';
import type { ActiveEndpoint } from './active-endpoint';
import { DeliveryWindow, type PendingDelivery } from './delivery-window';
import { EndpointFeed } from './endpoint-feed';
import { signedHeaders } from './webhook-signature';
import type { SendResult, WebhookSender } from './webhook-sender';

/** The cursor (and the state shown by the API) is written at most this often: once per batch, not per event. */
const SAVE_EVERY_MS = 1_000;

export interface DispatcherDeps {
  reader: EventLogReader;
  sender: WebhookSender;
  endpoints: WebhookEndpointsRepository;
  deadLetters: WebhookDeadLettersRepository;
  metrics: WebhookMetrics;
  config: WebhooksConfig;
}

class DeliveryFailed extends Error {
  constructor(readonly result: SendResult) {
    super(result.error ?? 'failed');
  }
}

class DeliveryAborted extends Error {}

/**
 * Delivers one endpoint's events: reads a bounded window after the durable cursor, sends each session's
 * events in order (lanes in parallel up to the concurrency), retries with backoff, dead-letters after the
 * retry horizon, and persists the cursor at most once a second. A circuit breaker stops all tries while
 * the endpoint keeps failing. `tick` does the database work and is called serially by the company's dispatcher.
 */
export class EndpointDispatcher {
  private readonly logger = new Logger(EndpointDispatcher.name);
  private readonly window: DeliveryWindow;
  private readonly feed: EndpointFeed;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly halt = new AbortController();
  private breakerState: BreakerState = 'closed';
  private openedAt = 0;
  private persisted: number;
  private lastSaveAt = 0;
  private stateChanged = false;
  private lastDeliveredAt?: Date;
  private lastFailureAt?: Date;
  private lastError?: string;
  private wakeAt?: number;
  private stopped = false;

  constructor(
    private readonly company: CompanyRecord,
    private readonly tenant: TenantContext,
    private endpoint: ActiveEndpoint,
    cursor: number,
    private readonly deps: DispatcherDeps,
    private readonly changed: () => void,
  ) {
    const { config } = deps;
    this.persisted = cursor;
    this.window = new DeliveryWindow(cursor, { capacity: config.windowEvents, retry: config.retry });
    this.feed = new EndpointFeed(company, this.window, deps.reader, config, () => this.endpoint);
    this.breaker = circuitBreaker(handleType(DeliveryFailed), {
      halfOpenAfter: config.breaker.halfOpenMs,
      breaker: new ConsecutiveBreaker(config.breaker.failures),
    });
    this.breaker.onStateChange((state) => {
      this.breakerState = state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half-open' : 'open';
      if (state === CircuitState.Open) this.openedAt = Date.now();
      this.stateChanged = true;
      this.changed();
    });
  }

  get id(): string {
    return this.endpoint.id;
  }

  get breakerStatus(): BreakerState {
    return this.breakerState;
  }

  get pending(): number {
    return this.window.size;
  }

  /** When this endpoint next needs a tick without being woken (a retry due, a horizon, a poll, a save). */
  get nextWakeAt(): number | undefined {
    return this.wakeAt;
  }

  /** New settings (URL, filters, secrets) apply to tries from now on and to events not yet read. */
  update(endpoint: ActiveEndpoint): void {
    this.endpoint = endpoint;
  }

  /** New events may be in the log. */
  wantRead(): void {
    this.feed.wantRead();
  }

  /** A page this process just appended (see EndpointFeed.offer). */
  offer(page: readonly LoggedEvent[], now: number): void {
    if (this.stopped) return;
    this.feed.offer(page, now);
  }

  async tick(now: number): Promise<void> {
    if (this.stopped) return;
    await this.feed.read(now);
    await this.deadLetterExpired(now);
    const slotsLeft = this.launch(now);
    await this.save(now, false);
    this.wakeAt = this.computeWake(now, slotsLeft);
  }

  /** Stops tries: waits up to `graceMs` for those in flight, aborts the rest (they stay pending), saves the cursor. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    if (!(await settleWithin(Promise.all(this.inFlight), graceMs))) this.halt.abort();
    await Promise.all(this.inFlight);
    await this.save(Date.now(), true).catch((error: Error) =>
      this.logger.warn(
        { company: this.company.slug, endpoint: this.id, err: error.message },
        'final webhook cursor not saved; deliveries since the last save will be repeated',
      ),
    );
  }

  private async deadLetterExpired(now: number): Promise<void> {
    for (const delivery of this.window.takeExpired(now)) {
      try {
        await this.deps.deadLetters.add(this.tenant, {
          endpoint: this.id,
          event: delivery.event,
          attempts: delivery.attempts,
          ...(delivery.lastStatus === undefined ? {} : { lastStatus: delivery.lastStatus }),
          lastError: delivery.lastError ?? 'not delivered',
          firstFailedAt: new Date(delivery.firstFailedAt ?? now),
        });
        this.window.settle(delivery);
        this.deps.metrics.deliveries.inc({ company: this.company.slug, endpoint: this.id, outcome: 'dead-lettered' });
      } catch (error) {
        this.window.release(delivery, now + SAVE_EVERY_MS);
        this.logger.warn({ company: this.company.slug, endpoint: this.id, err: (error as Error).message }, 'dead letter not stored yet; tried again');
      }
    }
  }

  /** Starts the tries that are due and have a free slot; the next pass does the bookkeeping. */
  launchDue(): void {
    this.launch(Date.now());
  }

  /** Starts what is due; returns whether free slots were left (then only future retries need a timer). */
  private launch(now: number): boolean {
    if (this.stopped) return false;
    if (this.breakerState === 'open' && now < this.openedAt + this.deps.config.breaker.halfOpenMs) {
      this.window.hold(now, 'circuit breaker open');
      return false;
    }
    // While the breaker is (about to be) half-open, one try at a time probes the endpoint.
    const probing = this.breakerState !== 'closed';
    const slots = probing ? (this.window.inFlight === 0 ? 1 : 0) : this.deps.config.concurrency - this.window.inFlight;
    const due = this.window.takeDue(now, slots);
    for (const delivery of due) {
      // The lane's next event goes out as soon as this try ends, without waiting for the company's next pass
      // (which may be busy reading the log); the pass then does the bookkeeping.
      const attempt = this.deliver(delivery).finally(() => {
        this.inFlight.delete(attempt);
        this.launch(Date.now());
        this.changed();
      });
      this.inFlight.add(attempt);
    }
    return !probing && due.length < slots;
  }

  private async deliver(delivery: PendingDelivery): Promise<void> {
    const endpoint = this.endpoint;
    const labels = { company: this.company.slug, endpoint: this.id };
    const body = JSON.stringify(delivery.event);
    try {
      await this.breaker.execute(async () => {
        const at = new Date();
        const result = await this.deps.sender.send(
          { url: endpoint.url, body, headers: signedHeaders(delivery.event.id, body, endpoint.signingSecrets(at), at) },
          this.halt.signal,
        );
        if (result.aborted) throw new DeliveryAborted();
        if (!result.ok) throw new DeliveryFailed(result);
      });
      this.window.settle(delivery);
      this.lastDeliveredAt = new Date();
      this.deps.metrics.deliveries.inc({ ...labels, outcome: 'delivered' });
      this.deps.metrics.lag.observe(labels, Math.max(0, Date.now() - Date.parse(delivery.event.timestamp)) / 1_000);
    } catch (error) {
      if (error instanceof DeliveryFailed) {
        this.window.failed(delivery, Date.now(), { status: error.result.status, error: error.message });
        this.lastFailureAt = new Date();
        this.lastError = error.message;
        this.stateChanged = true;
        this.deps.metrics.failures.inc(labels);
      } else if (error instanceof BrokenCircuitError) {
        this.window.release(delivery, this.openedAt + this.deps.config.breaker.halfOpenMs);
      } else {
        this.window.release(delivery, Date.now());
      }
    }
  }

  private async save(now: number, force: boolean): Promise<void> {
    const cursor = this.window.safeCursor;
    if (cursor <= this.persisted && !this.stateChanged) return;
    if (!force && now - this.lastSaveAt < SAVE_EVERY_MS) return;
    this.lastSaveAt = now;
    this.stateChanged = false;
    const oldest = this.window.oldestPendingAt();
    try {
      await this.deps.endpoints.saveProgress(this.tenant, this.id, cursor, {
        breaker: this.breakerState,
        pending: this.window.size,
        ...(oldest === undefined ? {} : { oldestPendingAt: new Date(oldest) }),
        ...(this.lastDeliveredAt ? { lastDeliveredAt: this.lastDeliveredAt } : {}),
        ...(this.lastFailureAt ? { lastFailureAt: this.lastFailureAt, lastError: this.lastError } : {}),
        updatedAt: new Date(now),
      });
      this.persisted = Math.max(this.persisted, cursor);
    } catch (error) {
      this.stateChanged = true;
      if (force) throw error;
      this.logger.warn({ company: this.company.slug, endpoint: this.id, err: (error as Error).message }, 'webhook cursor not saved; tried again');
    }
  }

  private computeWake(now: number, slotsLeft: boolean): number | undefined {
    const candidates: number[] = [];
    const due = this.window.nextWakeAt({ includeDue: slotsLeft });
    if (due !== undefined) candidates.push(due);
    if (this.breakerState === 'open') candidates.push(this.openedAt + this.deps.config.breaker.halfOpenMs);
    if (this.window.safeCursor > this.persisted || this.stateChanged) candidates.push(this.lastSaveAt + SAVE_EVERY_MS);
    const read = this.feed.nextReadAt();
    if (read !== undefined) candidates.push(read);
    return candidates.length === 0 ? undefined : Math.min(...candidates);
  }
}
