import { Registry } from 'prom-client';
import { until } from '../../../test/support/until';
import { cursorOf } from '../../events/event-cursor';
import { EventLogReader, type EventPage, type EventQuery } from '../../events/event-log.reader';
import type { LoggedEvent } from '../../events/event-types';
import type { MetricsService } from '../../metrics/metrics.service';
import type { CompanyRecord } from '../../tenancy/company';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { NewDeadLetter, WebhookDeadLettersRepository } from '../repositories/webhook-dead-letters.repository';
import type { WebhookEndpointsRepository } from '../repositories/webhook-endpoints.repository';
import { SecretBox } from '../secret-box';
import type { StoredEndpoint } from '../webhook-endpoint';
import { WebhookMetrics } from '../webhook-metrics';
import type { WebhooksConfig } from '../webhooks.config';
import { CompanyDispatcher } from './company-dispatcher';
import type { SendResult, WebhookRequest, WebhookSender } from './webhook-sender';
import { generateSecret } from './webhook-signature';

/** The company's log in memory, one page per `append`, read exactly as the port promises. */
class MemoryLog extends EventLogReader {
  readonly events: LoggedEvent[] = [];
  readonly limits: number[] = [];
  private pages = 0;

  /** Appends a page and returns it, as the EventBus hands it to the dispatcher. */
  append(session: string | undefined, count = 1): LoggedEvent[] {
    const page = ++this.pages;
    const events = Array.from({ length: count }, (_, index): LoggedEvent => {
      const cursor = cursorOf(page, index);
      return {
        id: `evt_${cursor}`,
        cursor,
        type: 'message.received',
        company: 'acme',
        ...(session ? { session } : {}),
        timestamp: new Date().toISOString(),
        data: {},
      };
    });
    this.events.push(...events);
    return events;
  }

  async read(_: CompanyRecord, { after = 0, types, limit }: EventQuery): Promise<EventPage> {
    this.limits.push(limit);
    const page: EventPage = { events: [], next: after, nextPage: this.pages + 1 };
    for (const event of this.events) {
      if (event.cursor <= after) continue;
      if (page.events.length >= limit) {
        delete page.nextPage;
        break;
      }
      page.next = event.cursor;
      if (!types || types.has(event.type)) page.events.push(event);
    }
    return page;
  }
}

interface Sent {
  id: string;
  session?: string;
  cursor: number;
}

/** A receiver that answers what `answer` says, after `release` lets it (so tries can be held in flight). */
class FakeSender {
  readonly sent: Sent[] = [];
  inFlight = 0;
  maxInFlight = 0;
  readonly inFlightPerSession = new Map<string, number>();
  maxPerSession = 0;
  answer: (event: LoggedEvent) => SendResult = () => ({ ok: true, status: 200, durationMs: 1 });

  async send(target: WebhookRequest, signal?: AbortSignal): Promise<SendResult> {
    const event = JSON.parse(target.body) as LoggedEvent;
    const lane = event.session ?? '';
    this.inFlight++;
    this.inFlightPerSession.set(lane, (this.inFlightPerSession.get(lane) ?? 0) + 1);
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.maxPerSession = Math.max(this.maxPerSession, this.inFlightPerSession.get(lane)!);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    this.inFlightPerSession.set(lane, this.inFlightPerSession.get(lane)! - 1);
    if (signal?.aborted) return { ok: false, aborted: true, durationMs: 0 };
    this.sent.push({ id: target.headers['webhook-id'], session: event.session, cursor: event.cursor });
    return this.answer(event);
  }
}

const company = { slug: 'acme' } as CompanyRecord;
const tenant = { company, run: () => Promise.reject(new Error('no database here')) } as unknown as TenantContext;
const config = {
  retry: { baseMs: 5, maxMs: 20, horizonMs: 60_000 },
  breaker: { failures: 3, halfOpenMs: 60_000 },
  windowEvents: 50,
  concurrency: 4,
  pollIntervalMs: 50,
  shutdownGraceMs: 0,
} as WebhooksConfig;

function setup(overrides: Partial<WebhooksConfig> = {}, cursor = 0) {
  const log = new MemoryLog();
  const sender = new FakeSender();
  const saved: number[] = [];
  const deadLetters: NewDeadLetter[] = [];
  const endpoints = { saveProgress: async (_: TenantContext, __: string, c: number) => void saved.push(c) } as unknown as WebhookEndpointsRepository;
  const letters = { add: async (_: TenantContext, entry: NewDeadLetter) => void deadLetters.push(entry) } as unknown as WebhookDeadLettersRepository;
  const metrics = new WebhookMetrics({ registry: new Registry() } as MetricsService);
  const deps = { reader: log, sender: sender as unknown as WebhookSender, endpoints, deadLetters: letters, metrics, config: { ...config, ...overrides } };
  const dispatcher = new CompanyDispatcher(company, tenant, deps, new SecretBox(undefined), () => undefined);
  const endpoint: StoredEndpoint = {
    id: 'wh_1',
    url: 'http://receiver.test/hooks',
    types: null,
    sessions: null,
    secret: generateSecret(),
    cursor,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
  return { log, sender, saved, deadLetters, dispatcher, endpoint };
}

describe('company dispatcher over an in-memory log', () => {
  it('delivers every event in order per session, sessions in parallel up to the concurrency, and saves the cursor seldom', async () => {
    const { log, sender, saved, dispatcher, endpoint } = setup();
    log.append('a', 40);
    log.append('b', 40);
    log.append(undefined, 20);
    for (let i = 0; i < 30; i++) log.append(['c', 'd', 'e', 'f', 'g', 'h'][i % 6]);
    const started = Date.now();
    dispatcher.sync([endpoint]);

    await until(() => sender.sent.length === 130, { what: 'all 130 delivered' });
    await until(() => saved.at(-1) === log.events.at(-1)!.cursor, { what: 'cursor saved at the end' });
    const seconds = Math.ceil((Date.now() - started) / 1_000);
    await dispatcher.stop(0);

    expect(sender.maxPerSession).toBe(1);
    expect(sender.maxInFlight).toBeGreaterThan(1);
    expect(sender.maxInFlight).toBeLessThanOrEqual(config.concurrency);
    for (const lane of ['a', 'b', undefined, 'c', 'h']) {
      const cursors = sender.sent.filter((s) => s.session === lane).map((s) => s.cursor);
      expect(cursors).toEqual(log.events.filter((e) => e.session === lane).map((e) => e.cursor));
    }
    expect(sender.sent.map((s) => s.id)).toEqual(expect.arrayContaining(log.events.map((e) => e.id)));
    // At most once a second (and a final one), never once per event.
    expect(saved.length).toBeLessThanOrEqual(seconds + 1);
    // Bounded, and refilled in large reads (below half full), not one small read per delivery.
    expect(Math.max(...log.limits)).toBeLessThanOrEqual(config.windowEvents);
    expect(Math.min(...log.limits)).toBeGreaterThanOrEqual(config.windowEvents / 2);
  });

  it('starts after its cursor, and takes the page appended next without reading it back', async () => {
    // No poll falls due during the test: any read after the first would be for the appended page.
    const { log, sender, dispatcher, endpoint } = setup({ pollIntervalMs: 600_000 }, 1_004);
    log.append('a', 5);
    dispatcher.sync([{ ...endpoint, cursor: 1_004 }]);
    await until(() => sender.sent.length === 0 && log.limits.length > 0, { what: 'first read' });
    const reads = log.limits.length;
    dispatcher.wake(log.append('a', 2));
    await until(() => sender.sent.length === 2, { what: 'the two new events' });
    expect(sender.sent.map((s) => s.cursor)).toEqual([2_000, 2_001]);
    expect(log.limits.length).toBe(reads);
    await dispatcher.stop(0);
  });

  it('reads the log when a woken page does not follow what it has (another process appended in between)', async () => {
    const { log, sender, dispatcher, endpoint } = setup();
    log.append('a', 2);
    dispatcher.sync([endpoint]);
    await until(() => sender.sent.length === 2, { what: 'the first page' });
    log.append('a', 2);
    dispatcher.wake(log.append('a', 2));
    await until(() => sender.sent.length === 6, { what: 'both later pages' });
    expect(sender.sent.map((s) => s.cursor)).toEqual([1_000, 1_001, 2_000, 2_001, 3_000, 3_001]);
    await dispatcher.stop(0);
  });

  it('after a stop, a new dispatcher from the saved cursor delivers the rest under the same ids (at least once)', async () => {
    const first = setup();
    first.log.append('a', 30);
    let answered = 0;
    first.sender.answer = () => (++answered > 10 ? { ok: false, status: 503, error: 'HTTP 503', durationMs: 1 } : { ok: true, status: 200, durationMs: 1 });
    first.dispatcher.sync([first.endpoint]);
    await until(() => answered > 12, { what: 'ten delivered, then failures' });
    await first.dispatcher.stop(0);
    const savedCursor = first.saved.at(-1)!;
    expect(savedCursor).toBe(1_009);

    const second = setup({}, savedCursor);
    second.log.events.push(...first.log.events);
    second.dispatcher.sync([{ ...second.endpoint, cursor: savedCursor }]);
    await until(() => second.sender.sent.length === 20, { what: 'the rest delivered' });
    await second.dispatcher.stop(0);
    const delivered = [...first.sender.sent.slice(0, 10), ...second.sender.sent].map((s) => s.id);
    expect(delivered).toEqual(first.log.events.map((e) => e.id));
  });

  it('dead-letters a head once the retry horizon has passed, and moves its session on', async () => {
    const { log, sender, deadLetters, dispatcher, endpoint } = setup({
      retry: { baseMs: 5, maxMs: 10, horizonMs: 30 },
      breaker: { failures: 1_000, halfOpenMs: 60_000 },
    });
    log.append('a', 3);
    sender.answer = (event) =>
      event.cursor === 1_000 ? { ok: false, status: 500, error: 'HTTP 500', durationMs: 1 } : { ok: true, status: 200, durationMs: 1 };
    dispatcher.sync([endpoint]);
    await until(() => sender.sent.filter((s) => s.cursor !== 1_000).length === 2, { what: 'the lane moved on' });
    await dispatcher.stop(0);
    expect(deadLetters).toEqual([expect.objectContaining({ endpoint: 'wh_1', event: log.events[0], lastStatus: 500, lastError: 'HTTP 500' })]);
    expect(deadLetters[0].attempts).toBeGreaterThanOrEqual(1);
    expect(sender.sent.findIndex((s) => s.cursor === 1_001)).toBeGreaterThan(sender.sent.findLastIndex((s) => s.cursor === 1_000));
  });

  it('opens the breaker after consecutive failures and makes no try while it is open', async () => {
    const { log, sender, dispatcher, endpoint } = setup();
    log.append('a', 5);
    log.append('b', 5);
    sender.answer = () => ({ ok: false, status: 503, error: 'HTTP 503', durationMs: 1 });
    dispatcher.sync([endpoint]);
    await until(() => dispatcher.endpoints[0]?.breakerStatus === 'open' && sender.inFlight === 0, { what: 'breaker open, nothing in flight' });
    const tries = sender.sent.length;
    dispatcher.wake(log.append('c', 5));
    await until(() => dispatcher.endpoints[0].pending === 15, { what: 'the new events read' });
    expect(sender.sent.length).toBe(tries);
    expect(tries).toBeLessThanOrEqual(config.breaker.failures + config.concurrency);
    await dispatcher.stop(0);
  });
});
