import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import request from 'supertest';
import { until } from './support/until';

const ADMIN = 'crash-test-admin-key-0123456789abcdef';
const MESSAGES = 600;
const SENDERS = 20;

const within = (what: string) => ({ what, timeoutMs: 60_000, intervalMs: 50 });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The built service as its own process, so it can be killed like a crashed instance. */
class ServiceProcess {
  private child?: ChildProcess;
  constructor(private readonly entry: string, private readonly env: NodeJS.ProcessEnv, readonly url: string) {}

  async start(): Promise<void> {
    this.child = spawn(process.execPath, [this.entry], { env: this.env, stdio: ['ignore', 'ignore', 'inherit'] });
    await until(async () => (await request(this.url).get('/health/ready')).status === 200, within('service ready'));
  }

  kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}

describe('crash during an inbound flood (built service in a child process, simulator provider)', () => {
  let outDir: string;
  const run = `c${Date.now().toString(36)}`;
  let service: ServiceProcess;
  let db: mongoose.Connection;
  const admin = (method: 'get' | 'post', path: string) => request(service.url)[method](path).set('X-API-Key', ADMIN);
  const flood = Array.from({ length: MESSAGES }, (_, i) => ({ providerMessageId: `wamid.${i}`, from: `+5255${String(40_000_000 + (i % SENDERS))}`, text: `m${i}`, senderName: `S${i % SENDERS}` }));
  const deliver = (messages: typeof flood) => admin('post', '/simulator/companies/mitsubishi/sessions/a/inbound').send({ messages });

  beforeAll(async () => {
    // Inside the repository, so the built service resolves node_modules.
    mkdirSync('dist-test', { recursive: true });
    outDir = mkdtempSync(join('dist-test', 'crash-'));
    await promisify(execFile)(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', outDir, '--tsBuildInfoFile', join(outDir, 'build-info')]);
    const port = await freePort();
    service = new ServiceProcess(join(outDir, 'src/main.js'), {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      LOG_LEVEL: 'error',
      ADMIN_API_KEY: ADMIN,
      CONTROL_DB_NAME: `${run}_control`,
      TENANT_DB_PREFIX: `${run}_`,
      SESSIONS_PROVIDER_OVERRIDE: 'simulator',
      RATE_LIMIT_PER_MINUTE: '100000',
      OUTBOUND_POLL_INTERVAL_MS: '100',
      // Short sends, so leases held by the killed process expire quickly.
      OUTBOUND_SEND_TIMEOUT_MS: '2000',
      // Short leases, so the restarted process takes over the killed one's sessions quickly.
      SESSION_LEASE_TTL_MS: '2000',
      SESSION_LEASE_RENEW_MS: '500',
      SESSION_CLAIM_INTERVAL_MS: '200',
    }, `http://127.0.0.1:${port}`);
    db = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
  });

  afterAll(async () => {
    await service.kill('SIGTERM');
    for (const name of ['control', 'mitsubishi', 'diocsa', 'simple_green', 'quicklearning']) await db.useDb(`${run}_${name}`).dropDatabase().catch(() => undefined);
    await db.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('persists every message exactly once, resumes sessions without a new QR and delivers queued sends once', async () => {
    await service.start();
    for (const [company, name] of [['mitsubishi', 'a'], ['diocsa', 'b']]) {
      await admin('post', `/api/v1/companies/${company}/sessions`).send({ name }).expect(201);
      await admin('post', `/api/v1/companies/${company}/sessions/${name}/start`).expect(202);
      await until(async () => (await admin('get', `/api/v1/companies/${company}/sessions/${name}`)).body.status === 'SCAN_QR', within(`${name} SCAN_QR`));
      await admin('post', `/simulator/companies/${company}/sessions/${name}/scan`).expect(204);
      await until(async () => (await admin('get', `/api/v1/companies/${company}/sessions/${name}`)).body.status === 'WORKING', within(`${name} WORKING`));
    }
    const killedOwner = (await admin('get', '/api/v1/companies/mitsubishi/sessions/a').expect(200)).body.owner as string;
    expect(killedOwner).toEqual(expect.any(String));
    await admin('post', '/api/v1/companies/diocsa/sessions/b/stop').expect(200);
    const queued: string[] = [];
    for (let i = 0; i < 3; i++) queued.push((await admin('post', '/api/v1/companies/diocsa/sessions/b/messages').send({ to: '+525512345678', text: `q${i}` }).expect(202)).body.id);

    const inFlight = [0, 1, 2, 3, 4, 5].map((chunk) => deliver(flood.slice(chunk * 100, chunk * 100 + 100)).then(() => undefined, () => undefined));
    await new Promise((resolve) => setTimeout(resolve, 150));
    await service.kill('SIGKILL');
    await Promise.all(inFlight);
    const messages = db.useDb(`${run}_mitsubishi`).collection('messages');
    const beforeRestart = await messages.countDocuments({});
    expect(beforeRestart).toBeLessThan(MESSAGES);

    await service.start();
    // The killed process's lease stays live until it expires; the session is back once the new process owns it.
    await until(async () => {
      const { body } = await admin('get', '/api/v1/companies/mitsubishi/sessions/a');
      return body.status === 'WORKING' && body.owner !== null && body.owner !== killedOwner;
    }, within('a WORKING in the restarted process'));
    expect((await admin('get', '/api/v1/companies/mitsubishi/sessions/a/qr')).status).toBe(409);
    await deliver(flood).expect(202);
    await deliver(flood.slice(0, 50)).expect(202);

    await until(async () => (await messages.countDocuments({ derived: true })) === MESSAGES, within('every message derived'));
    expect(await messages.countDocuments({})).toBe(MESSAGES);
    expect(await db.useDb(`${run}_mitsubishi`).collection('whatsappchats').countDocuments({})).toBe(SENDERS);
    await until(async () => (await db.useDb(`${run}_mitsubishi`).collection('records').countDocuments({ tableSlug: 'prospectos' })) === SENDERS, within('prospects'));

    expect((await admin('get', '/api/v1/companies/diocsa/sessions/b')).body.status).toBe('STOPPED');
    await admin('post', '/api/v1/companies/diocsa/sessions/b/start').expect(202);
    await until(async () => {
      const statuses = await Promise.all(queued.map(async (id) => (await admin('get', `/api/v1/companies/diocsa/sessions/b/messages/${id}`)).body.status));
      return statuses.every((status) => status === 'sent');
    }, within('queued sends sent'));
    const sent = (await admin('get', '/simulator/companies/diocsa/sessions/b/sent').expect(200)).body;
    expect(sent).toHaveLength(3);
  }, 180_000);
});
