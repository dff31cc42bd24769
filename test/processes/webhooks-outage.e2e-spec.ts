import mongoose from 'mongoose';
import request from 'supertest';
import type { LoggedEvent } from '../../src/events/event-types';
import { buildService, freePort, processTestEnvironment, removeBuild, ServiceProcess } from '../support/service-process';
import { SimulatedWhatsapp, type DeliveryReport } from '../support/simulated-whatsapp';
import { until } from '../support/until';
import { WebhookReceiver, type ReceivedDelivery } from '../support/webhook-receiver';

const ADMIN = 'webhook-outage-admin-key-0123456789abcdef';
const COMPANY = 'mitsubishi';
const SESSIONS = ['a', 'b', 'c'];
const OUTAGE_MS = 60_000;

/** One session's steady inbound flow: a chunk, acknowledged (redelivered until it is), a pause, the next chunk. */
class SteadySource {
  readonly acknowledged: string[] = [];
  private running = true;
  private loop?: Promise<void>;
  private sequence = 0;

  constructor(
    private readonly whatsapp: SimulatedWhatsapp,
    private readonly session: string,
  ) {}

  start(pauseMs: number, chunk: number): void {
    this.loop = (async () => {
      while (this.running) {
        const messages = Array.from({ length: chunk }, () => {
          const n = this.sequence++;
          return { providerMessageId: `${this.session}.${n}`, from: `+5255${String(50_000_000 + (n % 7))}`, text: `m${n}` };
        });
        const report: DeliveryReport = { acknowledged: [], refusals: 0 };
        await this.whatsapp.deliver(COMPANY, this.session, messages, report, Date.now() + 120_000);
        this.acknowledged.push(...messages.map((m) => m.providerMessageId));
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

describe('a webhook receiver down for 60 s under a steady inbound flow, the service SIGKILLed and restarted meanwhile', () => {
  const run = `w${Date.now().toString(36)}`;
  let build: string;
  let service: ServiceProcess;
  let db: mongoose.Connection;
  const receiver = new WebhookReceiver();
  const admin = (method: 'get' | 'post', path: string) => request(service.url)[method](path).set('X-API-Key', ADMIN);

  beforeAll(async () => {
    build = await buildService('webhooks-outage');
    const port = await freePort();
    service = ServiceProcess.node(
      build,
      processTestEnvironment(run, port, ADMIN, {
        SESSIONS_MAX_WHATSAPP_WEB: '10',
        RATE_LIMIT_PER_MINUTE: '100000',
        SESSION_LEASE_TTL_MS: '2000',
        SESSION_LEASE_RENEW_MS: '500',
        SESSION_CLAIM_INTERVAL_MS: '200',
        INGEST_WATERMARK_HEARTBEAT_MS: '300',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_SECRET_KEY: 'outage-test-sealing-key-0123456789',
        // Short retries and breaker, a horizon far beyond the outage: nothing may be dead-lettered.
        WEBHOOK_RETRY_BASE_MS: '100',
        WEBHOOK_RETRY_MAX_MS: '2000',
        WEBHOOK_RETRY_HORIZON_MS: '600000',
        WEBHOOK_BREAKER_FAILURES: '10',
        WEBHOOK_BREAKER_HALF_OPEN_MS: '2000',
        // A window smaller than what piles up during the outage: the dispatcher must stop reading and catch up.
        WEBHOOK_WINDOW_EVENTS: '50',
        WEBHOOK_POLL_INTERVAL_MS: '200',
        // The killed process's dispatch lease expires quickly, so the restarted one takes over.
        WEBHOOK_LEASE_TTL_MS: '2000',
      }),
      `http://127.0.0.1:${port}`,
    );
    db = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
    await receiver.start();
  }, 120_000);

  afterAll(async () => {
    await receiver.stop();
    await service?.kill('SIGTERM');
    for (const name of ['control', COMPANY])
      await db
        ?.useDb(`${run}_${name}`)
        .dropDatabase()
        .catch(() => undefined);
    await db?.close();
    if (build) removeBuild(build);
  });

  async function loggedMessages(after: number): Promise<LoggedEvent[]> {
    const events: LoggedEvent[] = [];
    for (let cursor = after; ;) {
      const { body } = await admin('get', `/api/v1/companies/${COMPANY}/events?types=message.received&limit=1000&after=${cursor}`).expect(200);
      events.push(...(body.events as LoggedEvent[]));
      if (body.next === cursor) return events;
      cursor = body.next as number;
    }
  }

  it('delivers every event once it is back: in order per session, each under one id, every delivery verified', async () => {
    await service.start();
    for (const name of SESSIONS) {
      await admin('post', `/api/v1/companies/${COMPANY}/sessions`).send({ name }).expect(201);
      await admin('post', `/api/v1/companies/${COMPANY}/sessions/${name}/start`).expect(202);
      await until(async () => (await admin('get', `/api/v1/companies/${COMPANY}/sessions/${name}`)).body.status === 'SCAN_QR', { what: `${name} QR` });
      await admin('post', `/simulator/companies/${COMPANY}/sessions/${name}/scan`).expect(204);
      await until(async () => (await admin('get', `/api/v1/companies/${COMPANY}/sessions/${name}`)).body.status === 'WORKING', { what: `${name} working` });
    }
    const { body: endpoint } = await admin('post', `/api/v1/companies/${COMPANY}/webhooks`)
      .send({ url: receiver.url, types: ['message.received'] })
      .expect(201);
    receiver.secrets.push(endpoint.secret as string);
    const startCursor = endpoint.delivery.cursor as number;

    const whatsapp = new SimulatedWhatsapp(service.url, ADMIN);
    const sources = SESSIONS.map((session) => new SteadySource(whatsapp, session));
    sources.forEach((source) => source.start(200, 2));
    await until(() => receiver.accepted.length >= 30, { what: '30 deliveries before the outage' });

    const acknowledgedCount = () => sources.reduce((sum, source) => sum + source.acknowledged.length, 0);
    await receiver.stop();
    const downAt = Date.now();
    const acknowledgedBeforeOutage = acknowledgedCount();
    await until(async () => (await admin('get', `/api/v1/companies/${COMPANY}/webhooks/${endpoint.id}`)).body.delivery.breaker === 'open', {
      what: 'breaker open while the receiver is down',
    });
    // Halfway through the outage the delivering process dies without a word; a new one takes its lease over.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS / 2 - (Date.now() - downAt))));
    await service.kill('SIGKILL');
    await service.start();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - downAt))));
    const acknowledgedDuringOutage = acknowledgedCount() - acknowledgedBeforeOutage;
    await receiver.start();
    const upAt = Date.now();

    await until(() => receiver.accepted.some((d) => d.at >= upAt), { what: 'deliveries after the receiver came back' });
    await Promise.all(sources.map((source) => source.stop()));
    const acknowledged = sources.flatMap((source) => source.acknowledged);
    // More piled up than the window holds, so the dispatcher had to stop reading and catch up.
    expect(acknowledgedDuringOutage).toBeGreaterThan(50);
    expect(receiver.deliveries.filter((d) => d.at > downAt && d.at < upAt)).toEqual([]);

    // Every message event in the log since registration, delivered: nothing lost to the outage, the crash or the window.
    let logged: LoggedEvent[] = [];
    await until(async () => (logged = await loggedMessages(startCursor)).length >= acknowledged.length, {
      what: 'every acknowledged message logged',
      timeoutMs: 60_000,
    });
    await until(
      () => {
        const delivered = new Set(receiver.accepted.map((d) => d.id));
        return logged.every((event) => delivered.has(event.id));
      },
      { what: 'every logged event delivered', timeoutMs: 120_000, intervalMs: 250 },
    );

    expect(receiver.deliveries.every((d) => d.verifiedWith.length === 1 && d.id === d.event.id)).toBe(true);
    expect(new Set(logged.map((e) => e.data.providerMessageId))).toEqual(new Set(acknowledged));
    const idsPerMessage = new Map<string, Set<string>>();
    for (const d of receiver.deliveries)
      idsPerMessage.set(d.event.data.providerMessageId as string, (idsPerMessage.get(d.event.data.providerMessageId as string) ?? new Set()).add(d.id));
    expect([...idsPerMessage.values()].filter((ids) => ids.size !== 1)).toEqual([]);
    for (const session of SESSIONS) {
      const firsts = firstArrivals(receiver.accepted.filter((d) => d.event.session === session));
      const cursors = firsts.map((d) => d.event.cursor);
      expect(cursors).toEqual([...cursors].sort((x, y) => x - y));
      expect(firsts.map((d) => d.id)).toEqual(logged.filter((e) => e.session === session).map((e) => e.id));
    }
    expect((await admin('get', `/api/v1/companies/${COMPANY}/webhooks/${endpoint.id}/dead-letters`).expect(200)).body.items).toEqual([]);
    await until(
      async () => {
        const { body } = await admin('get', `/api/v1/companies/${COMPANY}/webhooks/${endpoint.id}`);
        return body.delivery.breaker === 'closed' && body.delivery.cursor >= logged.at(-1)!.cursor;
      },
      { what: 'breaker closed and cursor saved past the last event' },
    );
  }, 300_000);
});

function firstArrivals(deliveries: ReceivedDelivery[]): ReceivedDelivery[] {
  const seen = new Set<string>();
  return deliveries.filter((d) => !seen.has(d.id) && seen.add(d.id));
}
