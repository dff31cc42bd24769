import mongoose from 'mongoose';
import request from 'supertest';
import { buildService, freePort, processTestEnvironment, removeBuild, ServiceProcess } from '../support/service-process';
import { SimulatedWhatsapp, type DeliveryReport, type SimulatedMessage } from '../support/simulated-whatsapp';
import { until } from '../support/until';

const ADMIN = 'crash-test-admin-key-0123456789abcdef';
const COMPANIES = ['mitsubishi', 'diocsa', 'simple-green', 'quicklearning'];
const PER_COMPANY = 500;
const SENDERS = 25;
const CHUNK = 10;

const dbName = (run: string, company: string) => `${run}_${company.replace(/-/g, '_')}`;

function floodFor(company: number): SimulatedMessage[] {
  return Array.from({ length: PER_COMPANY }, (_, i) => ({
    providerMessageId: `wamid.${company}.${i}`,
    from: `+5255${String(40_000_000 + company * 100 + (i % SENDERS))}`,
    text: `m${i}`,
    senderName: `S${i % SENDERS}`,
  }));
}

type LoggedData = { id: string; data: Record<string, unknown> };

describe('SIGKILL during a 2,000-message flood over 4 companies (built service in a child process, simulator provider)', () => {
  const run = `c${Date.now().toString(36)}`;
  let build: string;
  let service: ServiceProcess;
  let whatsapp: SimulatedWhatsapp;
  let db: mongoose.Connection;
  const admin = (method: 'get' | 'post', path: string) => request(service.url)[method](path).set('X-API-Key', ADMIN);
  const floods = COMPANIES.map((_, c) => floodFor(c));

  beforeAll(async () => {
    build = await buildService('crash');
    const port = await freePort();
    service = ServiceProcess.node(
      build,
      processTestEnvironment(run, port, ADMIN, {
        // Simulated sessions count as their company's provider: room for four whatsapp-web ones.
        SESSIONS_MAX_WHATSAPP_WEB: '10',
        RATE_LIMIT_PER_MINUTE: '100000',
        OUTBOUND_POLL_INTERVAL_MS: '100',
        // Short sends, so leases held by the killed process expire quickly.
        OUTBOUND_SEND_TIMEOUT_MS: '2000',
        // The killed process's watermark goes stale quickly, so its derived updates are replayed soon after.
        INGEST_WATERMARK_HEARTBEAT_MS: '300',
        // Short leases, so the restarted process takes over the killed one's sessions quickly.
        SESSION_LEASE_TTL_MS: '2000',
        SESSION_LEASE_RENEW_MS: '500',
        SESSION_CLAIM_INTERVAL_MS: '200',
      }),
      `http://127.0.0.1:${port}`,
    );
    whatsapp = new SimulatedWhatsapp(service.url, ADMIN);
    db = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
  });

  afterAll(async () => {
    await service.kill('SIGTERM');
    for (const company of ['control', ...COMPANIES])
      await db
        .useDb(dbName(run, company))
        .dropDatabase()
        .catch(() => undefined);
    await db.close();
    removeBuild(build);
  });

  async function startLinkedSession(company: string, name: string): Promise<void> {
    await admin('post', `/api/v1/companies/${company}/sessions`).send({ name }).expect(201);
    await admin('post', `/api/v1/companies/${company}/sessions/${name}/start`).expect(202);
    await until(async () => (await admin('get', `/api/v1/companies/${company}/sessions/${name}`)).body.status === 'SCAN_QR', { what: `${company}/${name} QR` });
    await admin('post', `/simulator/companies/${company}/sessions/${name}/scan`).expect(204);
    await until(async () => (await admin('get', `/api/v1/companies/${company}/sessions/${name}`)).body.status === 'WORKING', {
      what: `${company}/${name} working`,
    });
  }

  /** Every event of a type in the company's log, through the replay API. */
  async function loggedEvents(company: string, type: string): Promise<LoggedData[]> {
    const events: LoggedData[] = [];
    for (let after = 0; ;) {
      const { body } = await admin('get', `/api/v1/companies/${company}/events?types=${type}&limit=1000&after=${after}`).expect(200);
      events.push(...body.events);
      if (body.next === after) return events;
      after = body.next;
    }
  }

  it('loses no acknowledged message, stores each once after full redelivery, replays chats and prospects, resumes sessions without a QR and sends queued messages once', async () => {
    // The first process holds its chat and prospect updates far longer than it lives: they can only come from the replay.
    await service.start({ env: { INGEST_DERIVE_WINDOW_MS: '60000' } });
    for (const company of COMPANIES) await startLinkedSession(company, 'a');
    await startLinkedSession('diocsa', 'b');
    const killedOwner = (await admin('get', '/api/v1/companies/mitsubishi/sessions/a').expect(200)).body.owner as string;
    expect(killedOwner).toEqual(expect.any(String));
    await admin('post', '/api/v1/companies/diocsa/sessions/b/stop').expect(200);
    const queued: string[] = [];
    for (let i = 0; i < 3; i++)
      queued.push(
        (
          await admin('post', '/api/v1/companies/diocsa/sessions/b/messages')
            .send({ to: '+525512345678', text: `q${i}` })
            .expect(202)
        ).body.id,
      );

    // Four sources deliver chunk after chunk; the process is killed once a fifth of the flood is acknowledged.
    const report: DeliveryReport = { acknowledged: [], refusals: 0 };
    let killed = false;
    const sources = COMPANIES.map(async (company, c) => {
      for (let offset = 0; offset < PER_COMPANY && !killed; offset += CHUNK) {
        await whatsapp.deliverOnce(company, 'a', floods[c].slice(offset, offset + CHUNK), report);
      }
    });
    await until(() => report.acknowledged.length >= 400, { what: '400 acknowledged' });
    killed = true;
    await service.kill('SIGKILL');
    await Promise.all(sources);
    const acknowledged = new Set(report.acknowledged);
    expect(acknowledged.size).toBeGreaterThanOrEqual(400);
    expect(acknowledged.size).toBeLessThan(COMPANIES.length * PER_COMPANY);

    const stored = async (c: number) =>
      new Set(
        (
          await db
            .useDb(dbName(run, COMPANIES[c]))
            .collection('messages')
            .find({ providerMessageId: /^wamid\./ }, { projection: { providerMessageId: 1 } })
            .toArray()
        ).map((m) => m.providerMessageId as string),
      );
    const storedBeforeRestart = new Set<string>();
    for (const c of COMPANIES.keys()) for (const id of await stored(c)) storedBeforeRestart.add(id);
    expect([...acknowledged].filter((id) => !storedBeforeRestart.has(id))).toEqual([]);
    for (const company of COMPANIES) expect(await db.useDb(dbName(run, company)).collection('whatsappchats').countDocuments({ 'session.name': 'a' })).toBe(0);

    await service.start();
    // The killed process's leases stay live until they expire; a session is back once the new process owns it.
    for (const company of COMPANIES) {
      await until(
        async () => {
          const { body } = await admin('get', `/api/v1/companies/${company}/sessions/a`);
          return body.status === 'WORKING' && body.owner !== null && body.owner !== killedOwner;
        },
        { what: `${company} resumed in the restarted process` },
      );
      expect((await admin('get', `/api/v1/companies/${company}/sessions/a/qr`)).status).toBe(409);
    }
    const redelivery: DeliveryReport = { acknowledged: [], refusals: 0 };
    await Promise.all(
      COMPANIES.map(async (company, c) => {
        for (let offset = 0; offset < PER_COMPANY; offset += 100) await whatsapp.deliver(company, 'a', floods[c].slice(offset, offset + 100), redelivery);
      }),
    );
    expect(new Set(redelivery.acknowledged).size).toBe(COMPANIES.length * PER_COMPANY);

    for (const [c, company] of COMPANIES.entries()) {
      const tenant = db.useDb(dbName(run, company));
      expect(await tenant.collection('messages').countDocuments({ providerMessageId: /^wamid\./ })).toBe(PER_COMPANY);
      expect((await stored(c)).size).toBe(PER_COMPANY);
      // Consistent: one chat and one prospect per sender, each as recent as its newest stored message.
      const newest = new Map<string, number>();
      for (const message of await tenant
        .collection('messages')
        .find({ 'session.name': 'a' }, { projection: { phone: 1, timestamp: 1 } })
        .toArray()) {
        newest.set(message.phone, Math.max(newest.get(message.phone) ?? 0, message.timestamp.getTime()));
      }
      expect(newest.size).toBe(SENDERS);
      await until(
        async () => {
          const chats = await tenant.collection('whatsappchats').find({ 'session.name': 'a' }).toArray();
          const prospects = await tenant.collection('records').find({ tableSlug: 'prospectos' }).toArray();
          return (
            chats.length === SENDERS &&
            chats.every((chat) => chat.lastMessageAt?.getTime() === newest.get(chat.phone) && chat.lastMessage?.at?.getTime() === newest.get(chat.phone)) &&
            prospects.length === SENDERS &&
            prospects.every((prospect) => prospect.data.lastMessageAt?.getTime() === newest.get(prospect.data.number))
          );
        },
        { what: `${company} chats and prospects consistent`, timeoutMs: 60_000 },
      );
      // No stored message without its event, and none logged twice, across the crash.
      let events: LoggedData[] = [];
      await until(async () => (events = await loggedEvents(company, 'message.received')).length >= PER_COMPANY, {
        what: `${company} message events replayed`,
        timeoutMs: 60_000,
      });
      expect(events.map((e) => e.data.providerMessageId).sort()).toEqual([...(await stored(c))].sort());
      expect(new Set(events.map((e) => e.id)).size).toBe(PER_COMPANY);
    }

    expect((await admin('get', '/api/v1/companies/diocsa/sessions/b')).body.status).toBe('STOPPED');
    await admin('post', '/api/v1/companies/diocsa/sessions/b/start').expect(202);
    await until(
      async () => {
        const statuses = await Promise.all(queued.map(async (id) => (await admin('get', `/api/v1/companies/diocsa/sessions/b/messages/${id}`)).body.status));
        return statuses.every((status) => status === 'sent');
      },
      { what: 'queued sends delivered' },
    );
    expect((await admin('get', '/simulator/companies/diocsa/sessions/b/sent').expect(200)).body).toHaveLength(3);
    let sent: LoggedData[] = [];
    await until(async () => (sent = await loggedEvents('diocsa', 'message.sent')).length >= 3, { what: 'sent messages logged' });
    expect(sent.map((e) => e.data.text).sort()).toEqual(['q0', 'q1', 'q2']);
  }, 240_000);
});
