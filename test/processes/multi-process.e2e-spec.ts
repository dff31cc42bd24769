import { rmSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildService, freePort, ServiceProcess } from '../support/service-process';
import { OwnershipSampler } from '../support/ownership-sampler';
import { until } from '../support/until';

const ADMIN = 'multi-process-admin-key-0123456789abcdef';
const LEASE_TTL_MS = 3_000;
const SHUTDOWN_TIMEOUT_MS = 15_000;

interface View {
  name: string;
  company: string;
  status: string;
  owner: string | null;
  reason?: string;
}

describe('sessions across processes (built service, simulator provider, one database)', () => {
  let dir: string;
  let db: mongoose.Connection;
  const runs = [`m${Date.now().toString(36)}`];
  let run = runs[0];
  const processes: ServiceProcess[] = [];

  async function spawnService(owner: string, overrides: Record<string, string> = {}): Promise<ServiceProcess> {
    const port = await freePort();
    const service = new ServiceProcess(
      { file: process.execPath, args: [join(dir, 'dist/src/main.js')] },
      {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        LOG_LEVEL: process.env.MP_LOG_LEVEL ?? 'error',
        ADMIN_API_KEY: ADMIN,
        CONTROL_DB_NAME: `${run}_control`,
        TENANT_DB_PREFIX: `${run}_`,
        SESSIONS_PROVIDER_OVERRIDE: 'simulator',
        SESSION_OWNER_ID: owner,
        SESSION_LEASE_TTL_MS: String(LEASE_TTL_MS),
        SESSION_LEASE_RENEW_MS: '500',
        SESSION_CLAIM_INTERVAL_MS: '300',
        SESSIONS_MAX_ACTIVE: '25',
        SESSIONS_MAX_WHATSAPP_WEB: '25',
        RATE_LIMIT_PER_MINUTE: '100000',
        OUTBOUND_POLL_INTERVAL_MS: '100',
        OUTBOUND_SEND_TIMEOUT_MS: '2000',
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
        ...overrides,
      },
      `http://127.0.0.1:${port}`,
    );
    processes.push(service);
    await service.start();
    return service;
  }

  const call = (service: ServiceProcess, method: 'get' | 'post', path: string) => request(service.url)[method](path).set('X-API-Key', ADMIN);
  const anyLive = () => processes.find((p) => p.running)!;
  const view = async (company: string, name: string): Promise<View> =>
    (await call(anyLive(), 'get', `/api/v1/companies/${company}/sessions/${name}`).expect(200)).body;
  const ownerProcess = (owner: string | null) => processes.find((p) => p.running && ownerIds.get(p) === owner);
  const ownerIds = new Map<ServiceProcess, string>();
  const samplers: OwnershipSampler[] = [];
  afterEach(async () => {
    await Promise.all(samplers.splice(0).map((sampler) => sampler.stop()));
  });

  beforeAll(async () => {
    dir = await buildService('multi');
    db = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    for (const used of runs) {
      for (const name of ['control', 'mitsubishi', 'diocsa', 'simple_green', 'quicklearning'])
        await db
          .useDb(`${used}_${name}`)
          .dropDatabase()
          .catch(() => undefined);
    }
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Creates and starts each session through the given processes in turn, scans each QR at its owner, waits for WORKING. */
  async function linkSessions(sessions: Array<{ company: string; name: string }>, through: ServiceProcess[]): Promise<void> {
    for (const [i, { company, name }] of sessions.entries()) {
      const via = through[i % through.length];
      await call(via, 'post', `/api/v1/companies/${company}/sessions`).send({ name }).expect(201);
      await call(via, 'post', `/api/v1/companies/${company}/sessions/${name}/start`).expect(202);
    }
    for (const { company, name } of sessions) {
      await until(async () => (await view(company, name)).status === 'SCAN_QR', { timeoutMs: 30_000, what: `${name} SCAN_QR` });
      const owner = ownerProcess((await view(company, name)).owner)!;
      await call(owner, 'post', `/simulator/companies/${company}/sessions/${name}/scan`).expect(204);
    }
    for (const { company, name } of sessions)
      await until(async () => (await view(company, name)).status === 'WORKING', { timeoutMs: 30_000, what: `${name} WORKING` });
  }

  it('runs 30 sessions started through any of three processes, one client each, and takes a killed process over without loss', async () => {
    for (const owner of ['proc-a', 'proc-b', 'proc-c']) ownerIds.set(await spawnService(owner), owner);
    const [a, b, c] = processes;
    const sampler = new OwnershipSampler(() => processes, ADMIN);
    samplers.push(sampler);
    sampler.start();
    const sessions = Array.from({ length: 30 }, (_, i) => ({ company: i % 2 ? 'diocsa' : 'mitsubishi', name: `s${i}` }));
    await linkSessions(sessions, [a, b, c]);
    const victims: Array<{ company: string; name: string }> = [];
    for (const session of sessions) if ((await view(session.company, session.name)).owner === 'proc-c') victims.push(session);
    expect(victims.length).toBeGreaterThan(0);
    expect(new Set(await Promise.all(sessions.map(async (s) => (await view(s.company, s.name)).owner)))).toEqual(new Set(['proc-a', 'proc-b', 'proc-c']));

    await c.kill('SIGKILL');
    // Sends queued while the owner is gone: the new owner delivers each once.
    const queued = await Promise.all(
      victims.map(async ({ company, name }, i) => {
        const to = `+52551${String(1_000_000 + i).padStart(7, '0')}`;
        const sent = await call(a, 'post', `/api/v1/companies/${company}/sessions/${name}/messages`)
          .send({ to, text: `q${i}` })
          .expect(202);
        return { company, name, id: sent.body.id as string, to };
      }),
    );
    // Inbound during the takeover: each message is delivered (retried) through whichever process owns its session.
    const inbound = victims.flatMap(({ company, name }) => Array.from({ length: 5 }, (_, i) => ({ company, name, id: `in.${name}.${i}`, accepted: false })));
    const deliverAll = async () => {
      for (const message of inbound.filter((m) => !m.accepted)) {
        const owner = ownerProcess((await view(message.company, message.name)).owner);
        if (!owner) continue;
        const response = await call(owner, 'post', `/simulator/companies/${message.company}/sessions/${message.name}/inbound`)
          .send({ messages: [{ providerMessageId: message.id, from: '+5215511112222', text: message.id }] })
          .catch(() => undefined);
        const body = response?.body as { delivered?: number; results?: Array<{ result?: string; status?: string }> } | undefined;
        message.accepted =
          (response?.status === 202 && body?.delivered === 1) || (response?.status === 200 && Array.isArray(body?.results) && body.results.length === 1);
      }
      return inbound.every((m) => m.accepted);
    };

    await until(
      async () => {
        const views = await Promise.all(victims.map((s) => view(s.company, s.name)));
        return views.every((v) => v.status === 'WORKING' && (v.owner === 'proc-a' || v.owner === 'proc-b'));
      },
      { timeoutMs: LEASE_TTL_MS + 10_000, intervalMs: 100, what: 'the killed process sessions WORKING elsewhere' },
    );
    await until(deliverAll, { timeoutMs: 30_000, intervalMs: 100, what: 'every inbound message accepted' });

    for (const { company, name } of victims) {
      const stored = await db
        .useDb(`${run}_control`)
        .collection('sessions')
        .findOne({ _id: `${company}:${name}` as never });
      expect(stored?.qr).toBeUndefined();
      expect(stored?.fence).toBeGreaterThanOrEqual(2);
    }
    for (const company of ['mitsubishi', 'diocsa']) {
      const ids = inbound.filter((m) => m.company === company).map((m) => m.id);
      if (ids.length === 0) continue;
      await until(
        async () =>
          (await db
            .useDb(`${run}_${company}`)
            .collection('messages')
            .countDocuments({ providerMessageId: { $in: ids } })) === ids.length,
        {
          timeoutMs: 20_000,
          what: `${company} inbound stored`,
        },
      );
      expect(
        await db
          .useDb(`${run}_${company}`)
          .collection('messages')
          .countDocuments({ providerMessageId: { $in: ids } }),
      ).toBe(ids.length);
    }
    for (const message of queued) {
      let last: unknown;
      await until(
        async () => {
          last = (await call(a, 'get', `/api/v1/companies/${message.company}/sessions/${message.name}/messages/${message.id}`)).body;
          return (last as { status?: string }).status === 'sent';
        },
        { what: `queued send ${message.to}` },
      ).catch((error: Error) => {
        throw new Error(`${error.message}; last seen ${JSON.stringify(last)}`);
      });
    }
    const sent = [];
    for (const service of [a, b])
      for (const { company, name } of victims)
        sent.push(...(await call(service, 'get', `/simulator/companies/${company}/sessions/${name}/sent`).expect(200)).body);
    expect(sent.map((s: { to: string }) => s.to).sort()).toEqual(queued.map((q) => q.to).sort());

    await sampler.stop();
    expect(sampler.samples).toBeGreaterThan(10);
    expect(sampler.overlaps()).toEqual([]);
    expect(sampler.sessionsSeenIn('proc-c').size).toBe(victims.length);
  }, 240_000);

  it('hands every session of a deploy-stopped process to the new one: never two owners, no new QR, a bounded exit', async () => {
    for (const p of processes) await p.kill('SIGKILL');
    processes.length = 0;
    ownerIds.clear();
    // Fresh databases: the first test's sessions must not compete for these processes' slots.
    run = `${runs[0]}d`;
    runs.push(run);
    const old = await spawnService('deploy-old');
    ownerIds.set(old, 'deploy-old');
    const sessions = Array.from({ length: 8 }, (_, i) => ({ company: 'mitsubishi', name: `d${i}` }));
    await linkSessions(sessions, [old]);
    const sampler = new OwnershipSampler(() => processes, ADMIN);
    samplers.push(sampler);
    sampler.start();

    const next = await spawnService('deploy-new');
    ownerIds.set(next, 'deploy-new');
    for (const { company, name } of sessions) expect((await view(company, name)).owner).toBe('deploy-old');
    const tokensBefore = new Map<string, number>();
    for (const { company, name } of sessions)
      tokensBefore.set(
        name,
        (await db
          .useDb(`${run}_control`)
          .collection('sessions')
          .findOne({ _id: `${company}:${name}` as never }))!.fence as number,
      );

    const exit = await old.kill('SIGTERM');
    // A forced exit (past SHUTDOWN_TIMEOUT_MS) ends with code 1; a clean handover with 0.
    expect(exit).toEqual({ code: 0, signal: null });
    await until(
      async () => (await Promise.all(sessions.map((s) => view(s.company, s.name)))).every((v) => v.status === 'WORKING' && v.owner === 'deploy-new'),
      {
        timeoutMs: 20_000,
        what: 'sessions WORKING in the new process',
      },
    );
    await sampler.stop();
    expect(sampler.overlaps()).toEqual([]);
    for (const { company, name } of sessions) {
      const stored = await db
        .useDb(`${run}_control`)
        .collection('sessions')
        .findOne({ _id: `${company}:${name}` as never });
      expect(stored?.qr).toBeUndefined();
      expect(stored?.fence).toBe(tokensBefore.get(name)! + 1);
    }
    // The old owner's token is stale now: an owner-conditioned write with it matches nothing.
    const stale = await db
      .useDb(`${run}_control`)
      .collection('sessions')
      .updateOne({ _id: 'mitsubishi:d0' as never, owner: 'deploy-old', fence: tokensBefore.get('d0') }, { $set: { status: 'STOPPED' } });
    expect(stale.matchedCount).toBe(0);
  }, 240_000);
});
