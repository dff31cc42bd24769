import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { SimulatorAdapter } from '../src/providers/simulator/simulator.adapter';
import { SessionEvents, type SessionTransition } from '../src/sessions/session-events';
import { SessionLeases } from '../src/sessions/session-leases';
import { SessionManager } from '../src/sessions/session-manager.service';
import { SessionSupervisor } from '../src/sessions/session-supervisor.service';
import { CompaniesService } from '../src/tenancy/companies.service';
import { startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

const SIMULATED = { SESSIONS_PROVIDER_OVERRIDE: 'simulator', SESSION_RECONNECT_BASE_MS: '20', SESSION_RECONNECT_MAX_MS: '100' };

describe('sessions over REST (simulator provider, real database)', () => {
  let t: TestApp;
  let key: string;
  const base = '/api/v1/companies/mitsubishi/sessions';

  beforeAll(async () => {
    t = await startTestApp(SIMULATED);
    key = await t.createCompanyKey('mitsubishi');
  });
  afterAll(() => t.close());

  it('creates, starts to a QR, links, stops, logs out and deletes a session', async () => {
    const created = await t.as(key, 'post', base).send({ name: 'sales-1' }).expect(201);
    expect(created.body).toMatchObject({ company: 'mitsubishi', name: 'sales-1', provider: 'whatsapp-web', status: 'STOPPED', desired: 'stopped' });
    expect((await t.as(key, 'post', base).send({ name: 'sales-1' }).expect(409)).body.code).toBe('SESSION_ALREADY_EXISTS');
    expect((await t.as(key, 'post', base).send({ name: 'Bad Name' }).expect(400)).body.code).toBe('VALIDATION_FAILED');

    await t.as(key, 'post', `${base}/sales-1/start`).expect(202);
    await until(async () => (await t.as(key, 'get', `${base}/sales-1`)).body.status === 'SCAN_QR');
    const qr = await t.as(key, 'get', `${base}/sales-1/qr`).expect(200);
    expect(qr.body.qr).toMatch(/^SIMULATED-QR:/);
    expect(qr.body.dataUrl).toMatch(/^data:image\/png;base64,/);
    const png = await t.as(key, 'get', `${base}/sales-1/qr.png`).expect(200).expect('Content-Type', 'image/png');
    expect((png.body as Buffer).subarray(1, 4).toString()).toBe('PNG');

    const pairing = await t.as(key, 'post', `${base}/sales-1/pairing-code`).send({ phone: '+52 1 55 1234 5678' }).expect(200);
    expect(pairing.body).toEqual({ code: 'SIMU-LATE' });
    expect((await t.as(key, 'post', `${base}/sales-1/pairing-code`).send({ phone: '123456' }).expect(400)).body.code).toBe('INVALID_PHONE_NUMBER');

    const company = await t.app.get(CompaniesService).get('mitsubishi');
    await t.app.get(SimulatorAdapter).scan(company, 'sales-1');
    await until(async () => (await t.as(key, 'get', `${base}/sales-1`)).body.status === 'WORKING');
    expect((await t.as(key, 'get', `${base}/sales-1/qr`).expect(409)).body.code).toBe('SESSION_NOT_READY');
    expect((await t.as(key, 'get', `${base}/sales-1`).expect(200)).body.owner).toBe(t.app.get(SessionLeases).ownerId);
    const listed = await t.as(key, 'get', base).expect(200);
    expect(listed.body.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([['sales-1', 'WORKING']]);
    const health = await t.admin('get', '/health/companies/mitsubishi').expect(200);
    expect(health.body.details.mitsubishi.sessions).toEqual({ WORKING: 1 });

    expect((await t.as(key, 'post', `${base}/sales-1/stop`).expect(200)).body).toMatchObject({ status: 'STOPPED', desired: 'stopped', owner: null });
    expect((await t.as(key, 'post', `${base}/sales-1/logout`).expect(200)).body.status).toBe('LOGGED_OUT');
    await t.as(key, 'delete', `${base}/sales-1`).expect(204);
    expect((await t.as(key, 'get', `${base}/sales-1`).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
  });

  it('keeps sessions of one company out of reach of another company key', async () => {
    await t.as(key, 'post', base).send({ name: 'private' }).expect(201);
    const other = await t.createCompanyKey('diocsa');
    for (const [method, path] of [
      ['get', base],
      ['get', `${base}/private`],
      ['post', `${base}/private/start`],
      ['delete', `${base}/private`],
    ] as const) {
      expect((await t.as(other, method, path)).status).toBe(403);
    }
  });
});

describe('session manager caps, rotation, backoff and restart (simulator, real database)', () => {
  let t: TestApp;

  afterEach(async () => {
    await t?.close();
  });

  it('never runs more than 3 whatsapp-web clients while 10 sessions start, rotating out the least recently active', async () => {
    t = await startTestApp({ ...SIMULATED, SESSIONS_MAX_WHATSAPP_WEB: '3' });
    const manager = t.app.get(SessionManager);
    const simulator = t.app.get(SimulatorAdapter);
    const companies = ['mitsubishi', 'diocsa', 'simple-green'];
    let peak = 0;
    t.app.get(SessionEvents).on('transition', () => (peak = Math.max(peak, manager.active().length, simulator.runningCount())));
    const order: string[] = [];
    for (let i = 0; i < 10; i++) {
      const company = await t.app.get(CompaniesService).get(companies[i % 3]);
      const name = `s${i}`;
      await t.admin('post', `/api/v1/companies/${company.slug}/sessions`).send({ name }).expect(201);
      await simulator.link(company, name);
      await t.admin('post', `/api/v1/companies/${company.slug}/sessions/${name}/start`).expect(202);
      await until(() => manager.runtime(company.slug, name)?.status === 'WORKING');
      order.push(`${company.slug}:${name}`);
      // The next session's activity must be strictly later: rotation orders by it, at millisecond resolution.
      const startedAt = Date.now();
      await until(() => Date.now() > startedAt, { intervalMs: 1, what: 'the clock to move on' });
    }
    expect(peak).toBe(3);
    expect(
      manager
        .active()
        .map((r) => r.key)
        .sort(),
    ).toEqual(order.slice(-3).sort());
    const suspended = manager
      .all()
      .filter((r) => r.status === 'SUSPENDED')
      .map((r) => r.key);
    expect(suspended.sort()).toEqual(order.slice(0, 7).sort());
    const session = await t.admin('get', '/api/v1/companies/mitsubishi/sessions/s0').expect(200);
    expect(session.body).toMatchObject({ status: 'SUSPENDED', desired: 'running' });
    expect(session.body.reason).toMatch(/rotated out/);

    // Fair rotation: once slots free up, the sessions rotated out longest ago come back first.
    for (const key of order.slice(-3)) {
      const [company, name] = key.split(':');
      await t.admin('post', `/api/v1/companies/${company}/sessions/${name}/stop`).expect(200);
    }
    expect(await t.app.get(SessionSupervisor).resumeWhereRoom()).toBe(3);
    await until(() => manager.active().filter((r) => r.status === 'WORKING').length === 3);
    expect(
      manager
        .active()
        .map((r) => r.key)
        .sort(),
    ).toEqual(order.slice(0, 3).sort());
    expect(peak).toBe(3);
  });

  it('admits no more than the cap when many starts arrive at once', async () => {
    t = await startTestApp({ ...SIMULATED, SESSIONS_MAX_WHATSAPP_WEB: '3' });
    const manager = t.app.get(SessionManager);
    let peak = 0;
    t.app.get(SessionEvents).on('transition', () => (peak = Math.max(peak, manager.active().length)));
    const names = Array.from({ length: 10 }, (_, i) => `burst${i}`);
    for (const name of names) await t.admin('post', '/api/v1/companies/mitsubishi/sessions').send({ name }).expect(201);
    const responses = await Promise.all(names.map((name) => t.admin('post', `/api/v1/companies/mitsubishi/sessions/${name}/start`)));
    expect(responses.filter((r) => r.status === 202)).toHaveLength(3);
    const refused = responses.filter((r) => r.status === 503);
    expect(refused).toHaveLength(7);
    expect(refused.every((r) => r.body.code === 'SESSION_CAPACITY')).toBe(true);
    await until(() => manager.active().filter((r) => r.status === 'SCAN_QR').length === 3);
    expect(peak).toBe(3);
    expect(manager.active()).toHaveLength(3);
  });

  it('suspends idle sessions on the sweep, and the least active quarter when memory turns critical', async () => {
    t = await startTestApp({ ...SIMULATED, SESSIONS_MAX_WHATSAPP_WEB: '10' });
    const manager = t.app.get(SessionManager);
    const simulator = t.app.get(SimulatorAdapter);
    const company = await t.app.get(CompaniesService).get('diocsa');
    for (const name of ['w1', 'w2', 'w3', 'w4', 'w5']) {
      await t.admin('post', '/api/v1/companies/diocsa/sessions').send({ name }).expect(201);
      await simulator.link(company, name);
      await t.admin('post', `/api/v1/companies/diocsa/sessions/${name}/start`).expect(202);
      await until(() => manager.runtime('diocsa', name)?.status === 'WORKING');
      // The next session's activity must be strictly later: rotation orders by it, at millisecond resolution.
      const startedAt = Date.now();
      await until(() => Date.now() > startedAt, { intervalMs: 1, what: 'the clock to move on' });
    }
    const supervisor = t.app.get(SessionSupervisor);
    expect(await supervisor.relieveMemory()).toBe(2);
    expect(['w1', 'w2'].map((name) => manager.runtime('diocsa', name)?.status)).toEqual(['SUSPENDED', 'SUSPENDED']);
    expect((await t.admin('get', '/api/v1/companies/diocsa/sessions/w1').expect(200)).body.reason).toBe('memory critical');

    for (const name of ['w3', 'w4']) manager.runtime('diocsa', name)!.lastActivityAt = Date.now() - 86_400_000 - 1_000;
    await supervisor.sweep();
    expect(['w3', 'w4', 'w5'].map((name) => manager.runtime('diocsa', name)?.status)).toEqual(['SUSPENDED', 'SUSPENDED', 'WORKING']);
    expect((await t.admin('get', '/api/v1/companies/diocsa/sessions/w3').expect(200)).body.reason).toBe('idle timeout');
  });

  it('refuses to start a session when memory is above the high threshold', async () => {
    t = await startTestApp({ ...SIMULATED, MEMORY_LIMIT_MB: '64' });
    await t.admin('post', '/api/v1/companies/diocsa/sessions').send({ name: 'big' }).expect(201);
    const refused = await t.admin('post', '/api/v1/companies/diocsa/sessions/big/start').expect(503);
    expect(refused.body.code).toBe('MEMORY_LIMIT');
    expect(refused.headers['retry-after']).toBeDefined();
  });

  it('reconnects with backoff after failures, then gives up with the reason once the budget is spent', async () => {
    t = await startTestApp({ ...SIMULATED, SESSION_RECONNECT_MAX_ATTEMPTS: '3' });
    const company = await t.app.get(CompaniesService).get('simple-green');
    const simulator = t.app.get(SimulatorAdapter);
    const seen: SessionTransition[] = [];
    t.app.get(SessionEvents).on('transition', (transition) => seen.push(transition));
    await t.admin('post', '/api/v1/companies/simple-green/sessions').send({ name: 'flaky' }).expect(201);
    await simulator.link(company, 'flaky');
    simulator.failNextStarts(2);
    await t.admin('post', '/api/v1/companies/simple-green/sessions/flaky/start').expect(202);
    await until(() => seen.some((s) => s.status === 'WORKING'));
    expect(seen.map((s) => s.status)).toEqual(['STARTING', 'RECONNECTING', 'STARTING', 'RECONNECTING', 'STARTING', 'WORKING']);

    seen.length = 0;
    simulator.failNextStarts(10);
    simulator.inject('simple-green', 'flaky', { type: 'disconnected', reason: 'stream errored', retryable: true });
    await until(() => seen.some((s) => s.status === 'FAILED'));
    expect(seen.filter((s) => s.status === 'RECONNECTING')).toHaveLength(3);
    const failed = await t.admin('get', '/api/v1/companies/simple-green/sessions/flaky').expect(200);
    expect(failed.body.status).toBe('FAILED');
    expect(failed.body.reason).toMatch(/gave up after 3 reconnect attempts: simulated network failure/);
  });

  it("reports what actually runs: a crashed owner's WORKING reads SUSPENDED with the reason, and a process without room says so", async () => {
    t = await startTestApp({ ...SIMULATED, SESSIONS_MAX_WHATSAPP_WEB: '1' });
    const simulator = t.app.get(SimulatorAdapter);
    const company = await t.app.get(CompaniesService).get('mitsubishi');
    for (const name of ['left', 'right']) {
      await t.admin('post', '/api/v1/companies/mitsubishi/sessions').send({ name }).expect(201);
      await simulator.link(company, name);
    }
    // As a process that crashed would leave them: WORKING, desired running, a lease nobody renews.
    const sessions = t.app.get<Connection>(getConnectionToken()).collection('sessions');
    const expired = new Date(Date.now() - 1_000);
    await sessions.updateMany(
      { company: 'mitsubishi', name: { $in: ['left', 'right'] } },
      { $set: { status: 'WORKING', desired: 'running', owner: 'crashed-process', leaseExpiresAt: expired } },
    );
    const stale = await t.admin('get', '/api/v1/companies/mitsubishi/sessions/left').expect(200);
    expect(stale.body).toMatchObject({ status: 'SUSPENDED', owner: null });
    expect(stale.body.reason).toMatch(/the lease of crashed-process expired/);

    await t.app.get(SessionSupervisor).resumeWhereRoom();
    const views = (await t.admin('get', '/api/v1/companies/mitsubishi/sessions').expect(200)).body as Array<{
      name: string;
      status: string;
      owner: string | null;
      reason?: string;
    }>;
    const running = views.filter((v) => ['STARTING', 'WORKING'].includes(v.status));
    const waiting = views.filter((v) => v.status === 'SUSPENDED');
    expect([running.length, waiting.length]).toEqual([1, 1]);
    expect(running[0].owner).toBe(t.app.get(SessionLeases).ownerId);
    expect(waiting[0].owner).toBeNull();
    expect(waiting[0].reason).toMatch(/no slot free in .*; waiting for a process with room/);
    expect((await sessions.findOne({ name: waiting[0].name, company: 'mitsubishi' }))?.status).toBe('SUSPENDED');
    await until(async () => (await t.admin('get', '/health/companies/mitsubishi')).body.details?.mitsubishi?.sessions?.WORKING === 1);
    expect((await t.admin('get', '/health/companies/mitsubishi').expect(200)).body.details.mitsubishi.sessions).toEqual({ WORKING: 1, SUSPENDED: 1 });
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/vv_sessions\{company="mitsubishi",provider="whatsapp-web",status="WORKING"\} 1/);
  });

  it('serves the QR, a pairing code and starts through a process that does not own the session, without a second client', async () => {
    t = await startTestApp({ ...SIMULATED, SESSION_LEASE_RENEW_MS: '200' });
    const other = await startTestApp({ ...SIMULATED, SESSION_LEASE_RENEW_MS: '200' }, t.run);
    try {
      const path = '/api/v1/companies/diocsa/sessions/remote';
      await t.admin('post', '/api/v1/companies/diocsa/sessions').send({ name: 'remote' }).expect(201);
      await t.admin('post', `${path}/start`).expect(202);
      await until(async () => (await other.admin('get', path)).body.status === 'SCAN_QR', { what: 'SCAN_QR seen by the other process' });
      expect((await other.admin('get', path).expect(200)).body.owner).toBe(t.app.get(SessionLeases).ownerId);
      expect((await other.admin('get', `${path}/qr`).expect(200)).body.qr).toMatch(/^SIMULATED-QR:diocsa\/remote:/);
      expect((await other.admin('post', `${path}/pairing-code`).send({ phone: '+52 1 55 1234 5678' }).expect(200)).body).toEqual({ code: 'SIMU-LATE' });
      expect((await other.admin('post', `${path}/start`).expect(202)).body.owner).toBe(t.app.get(SessionLeases).ownerId);
      expect([t.app.get(SimulatorAdapter).runningCount(), other.app.get(SimulatorAdapter).runningCount()]).toEqual([1, 0]);
    } finally {
      await other.close({ keepDatabases: true });
    }
  });

  it('resumes after a restart exactly the sessions that were running, without a new QR', async () => {
    t = await startTestApp(SIMULATED);
    const simulator = t.app.get(SimulatorAdapter);
    const company = await t.app.get(CompaniesService).get('quicklearning');
    for (const name of ['a', 'b', 'c']) await t.admin('post', '/api/v1/companies/quicklearning/sessions').send({ name }).expect(201);
    for (const name of ['a', 'b']) {
      await t.admin('post', `/api/v1/companies/quicklearning/sessions/${name}/start`).expect(202);
      await until(() => t.app.get(SessionManager).runtime('quicklearning', name)?.status === 'SCAN_QR');
      await simulator.scan(company, name);
      await until(() => t.app.get(SessionManager).runtime('quicklearning', name)?.status === 'WORKING');
    }
    const run = t.run;
    await t.close({ keepDatabases: true });
    const stored = await (async () => {
      t = await startTestApp(SIMULATED, run);
      return t;
    })();
    const transitions: SessionTransition[] = [];
    stored.app.get(SessionEvents).on('transition', (transition) => transitions.push(transition));
    await stored.app.get(SessionSupervisor).whenResumed();
    await until(() => ['a', 'b'].every((name) => stored.app.get(SessionManager).runtime('quicklearning', name)?.status === 'WORKING'));
    const listed = await stored.admin('get', '/api/v1/companies/quicklearning/sessions').expect(200);
    expect(listed.body.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['a', 'WORKING'],
      ['b', 'WORKING'],
      ['c', 'STOPPED'],
    ]);
    expect(transitions.some((s) => s.status === 'SCAN_QR')).toBe(false);
  });
});
