import { CompaniesService } from '../src/tenancy/companies.service';
import { ADMIN_KEY, startTestApp, TenantConnectionPool, type TestApp } from './support/test-app';
import { until } from './support/until';

const base = (company: string) => `/api/v1/companies/${company}`;
type Stats = {
  scope: unknown;
  companies: Array<Record<string, any>>;
  totals: Record<string, any>;
  process: Record<string, any>;
  database?: Record<string, any>;
};
const of = (stats: Stats, company: string) => stats.companies.find((entry) => entry.company === company)!;

describe('operator stats (GET /api/v1/stats, its history, Prometheus; simulator, real database)', () => {
  let t: TestApp;
  const keys: Record<string, string> = {};
  const stats = async (key: string, query = ''): Promise<Stats> => (await t.as(key, 'get', `/api/v1/stats${query}`).expect(200)).body as Stats;

  beforeAll(async () => {
    // Figures read fresh on every request here (the cache is unit-tested); `own` is a company cluster on the same server.
    t = await startTestApp({
      SESSIONS_PROVIDER_OVERRIDE: 'simulator',
      STATS_CACHE_MS: '0',
      TENANT_CLUSTER_URIS: JSON.stringify({ own: process.env.MONGODB_URI }),
    });
    for (const [slug, provider] of [
      ['stats-a', 'whatsapp-web'],
      ['stats-b', 'baileys'],
    ]) {
      await t
        .admin('post', '/api/v1/companies')
        .send({ slug, displayName: `Stats ${slug}`, provider })
        .expect(201);
      await t
        .admin('post', `${base(slug)}/sessions`)
        .send({ name: 'one' })
        .expect(201);
      await t.admin('post', `${base(slug)}/sessions/one/start`).expect(202);
      await t.admin('post', `/simulator/companies/${slug}/sessions/one/scan`).expect(204);
      keys[slug] = await t.createCompanyKey(slug);
    }
    await t
      .admin('post', `${base('stats-a')}/sessions`)
      .send({ name: 'idle' })
      .expect(201);
    await until(
      async () => {
        const statuses = await Promise.all(
          ['stats-a', 'stats-b'].map(async (slug) => (await t.admin('get', `${base(slug)}/sessions/one`).expect(200)).body.status),
        );
        return statuses.every((status) => status === 'WORKING');
      },
      { what: 'both sessions working' },
    );
    const inbound = (slug: string, ids: string[]) =>
      t
        .admin('post', `/simulator/companies/${slug}/sessions/one/inbound`)
        .send({ messages: ids.map((id) => ({ providerMessageId: id, from: '+525512340000', text: id })) })
        .expect(200);
    await inbound('stats-a', ['a1', 'a2', 'a3']);
    await inbound('stats-b', ['b1', 'b2']);
    const sent = await t
      .admin('post', `${base('stats-a')}/sessions/one/messages`)
      .send({ to: '+525512340000', text: 'hola' })
      .expect(202);
    await until(async () => (await t.admin('get', `${base('stats-a')}/sessions/one/messages/${sent.body.id}`)).body.status === 'sent', {
      what: 'the outbound message sent',
    });
  });

  afterAll(async () => {
    const own = await t.app
      .get(CompaniesService)
      .get('stats-own')
      .catch(() => undefined);
    // Test apps drop the databases of shared-cluster companies only.
    if (own) await t.app.get(TenantConnectionPool).runUngated(own, (db) => db.dropDatabase());
    await t.close();
  });

  it('gives the admin every company: sessions by status and provider, pools, queues, messages, and the process', async () => {
    let body!: Stats;
    await until(
      async () => {
        body = await stats(ADMIN_KEY);
        return (
          of(body, 'stats-a')?.sessions?.byStatus.WORKING === 1 &&
          of(body, 'stats-a').messages.sentLastHour === 1 &&
          of(body, 'stats-b').messages.receivedLastHour === 2
        );
      },
      { what: 'stats to show the working sessions and the traffic' },
    );
    expect(body.scope).toEqual({ kind: 'admin' });
    expect(body.companies.map((entry) => entry.company)).toEqual(expect.arrayContaining(['mitsubishi', 'quicklearning', 'stats-a', 'stats-b']));
    expect(of(body, 'stats-a')).toMatchObject({
      provider: 'whatsapp-web',
      sessions: { total: 2, byStatus: { WORKING: 1, STOPPED: 1 }, byProvider: { 'whatsapp-web': { total: 2, byStatus: { WORKING: 1, STOPPED: 1 } } } },
      pool: { limit: 5, active: expect.any(Number), queued: expect.any(Number), dedicated: false },
      queues: { ingest: 0, outbox: 0 },
      messages: { receivedLastHour: 3, sentLastHour: 1, receivedPerMinute: expect.any(Number), sentPerMinute: expect.any(Number) },
    });
    expect(of(body, 'stats-b').sessions).toMatchObject({ byProvider: { baileys: { total: 1, byStatus: { WORKING: 1 } } } });
    expect(body.totals).toMatchObject({
      sessions: { byStatus: { WORKING: 2 } },
      messages: { receivedLastHour: 5, sentLastHour: 1 },
      queues: { ingest: 0, outbox: 0 },
    });
    expect(body.process).toMatchObject({
      memory: { rssMB: expect.any(Number), heapUsedMB: expect.any(Number), limitMB: 65536, rssPercent: expect.any(Number) },
      cpu: {
        percent: expect.any(Number),
        cores: expect.any(Number),
        loadAverage: { '1m': expect.any(Number), '5m': expect.any(Number), '15m': expect.any(Number) },
      },
      eventLoop: { p50Ms: expect.any(Number), p99Ms: expect.any(Number), maxMs: expect.any(Number) },
    });
    expect(body.process.memory.rssMB).toBeGreaterThan(0);
    expect(body.database).toMatchObject({
      pool: { open: expect.any(Number), inUse: expect.any(Number), waiting: expect.any(Number), max: 20 },
      dedicatedConnections: 0,
    });
    expect(body.database!.pool.open).toBeGreaterThan(0);
  });

  it("gives a company key its own company only, and 403 for another company's, existing or not", async () => {
    const own = await stats(keys['stats-a']);
    expect(own.scope).toEqual({ kind: 'company', company: 'stats-a' });
    expect(own.companies.map((entry) => entry.company)).toEqual(['stats-a']);
    expect(own.database).toBeUndefined();
    expect(own.process.memory.limitMB).toBe(65536);
    expect(own.totals.messages).toMatchObject({ receivedLastHour: 3, sentLastHour: 1 });
    expect((await stats(keys['stats-a'], '?company=stats-a')).companies).toHaveLength(1);
    for (const other of ['stats-b', 'no-such-company']) {
      const refused = await t.as(keys['stats-a'], 'get', `/api/v1/stats?company=${other}`).expect(403);
      expect(refused.body.code).toBe('FORBIDDEN');
      await t.as(keys['stats-a'], 'get', `/api/v1/stats/history?company=${other}`).expect(403);
    }
    const narrowed = await stats(ADMIN_KEY, '?company=stats-b');
    expect(narrowed.scope).toEqual({ kind: 'admin', company: 'stats-b' });
    expect(narrowed.companies.map((entry) => entry.company)).toEqual(['stats-b']);
    expect((await t.admin('get', '/api/v1/stats?company=no-such-company').expect(404)).body.code).toBe('COMPANY_NOT_FOUND');
    expect((await t.admin('get', '/api/v1/stats?company=Not_A_Slug').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http().get('/api/v1/stats').expect(401)).body.code).toBe('UNAUTHENTICATED');
  });

  it('keeps the last hour per minute, scoped the same way', async () => {
    const sum = (values: number[]) => values.reduce((total, n) => total + n, 0);
    const all = (await t.admin('get', '/api/v1/stats/history?minutes=60').expect(200)).body;
    expect(all.scope).toEqual({ kind: 'admin' });
    for (const series of ['received', 'sent', 'rssMB', 'heapUsedMB', 'cpuPercent', 'loopDelayP99Ms', 'queueDepth'])
      expect(all[series]).toHaveLength(all.minutes.length);
    expect(all.minutes.length).toBeGreaterThanOrEqual(1);
    expect(all.minutes.length).toBeLessThanOrEqual(60);
    expect(sum(all.received)).toBe(5);
    expect(sum(all.sent)).toBe(1);
    expect(all.rssMB.some((value: number | null) => value !== null && value > 0)).toBe(true);
    const own = (await t.as(keys['stats-a'], 'get', '/api/v1/stats/history').expect(200)).body;
    expect(own.scope).toEqual({ kind: 'company', company: 'stats-a' });
    expect(sum(own.received)).toBe(3);
    expect((await t.admin('get', '/api/v1/stats/history?minutes=1').expect(200)).body.minutes).toHaveLength(1);
    await t.admin('get', '/api/v1/stats/history?minutes=0').expect(400);
    await t.admin('get', '/api/v1/stats/history?minutes=61').expect(400);
  });

  it("reads a company's own cluster only while this process has it open, and never keeps it from closing when idle", async () => {
    const pool = t.app.get(TenantConnectionPool);
    const idleCloseMs = 600_000;
    await t.admin('post', '/api/v1/companies').send({ slug: 'stats-own', displayName: 'Own cluster', provider: 'baileys', cluster: 'own' }).expect(201);
    expect(await pool.closeIdleConnections(Date.now() + idleCloseMs + 1)).toBe(1);

    const closed = await stats(ADMIN_KEY, '?company=stats-own');
    expect(of(closed, 'stats-own')).toMatchObject({ queues: { outbox: null }, pool: { dedicated: true }, sessions: { total: 0 } });
    expect(closed.database!.dedicatedConnections).toBe(0);

    await t.admin('get', '/api/v1/companies/stats-own/prospects').expect(200);
    const lastUse = Date.now();
    const open = await stats(ADMIN_KEY, '?company=stats-own');
    expect(of(open, 'stats-own').queues).toMatchObject({ outbox: 0 });
    expect(open.database!.dedicatedConnections).toBe(1);
    // Reading figures is not use: idle since the last real use, the connection closes.
    expect(await pool.closeIdleConnections(lastUse + idleCloseMs + 1)).toBe(1);
  });

  it('exports the same figures to Prometheus under names of their own', async () => {
    await stats(ADMIN_KEY);
    const { text } = await t.http().get('/metrics').expect(200);
    expect(text).toMatch(/vv_company_sessions\{company="stats-a",provider="whatsapp-web",status="WORKING"\} 1/);
    expect(text).toMatch(/vv_company_sessions\{company="stats-b",provider="baileys",status="WORKING"\} 1/);
    expect(text).toMatch(/vv_queue_depth\{company="stats-a",queue="outbox"\} 0/);
    expect(text).toMatch(/vv_queue_depth\{company="stats-a",queue="ingest"\} 0/);
    expect(text).toMatch(/vv_messages_per_minute\{company="stats-a",direction="received"\} /);
    expect(text).toMatch(/vv_memory_limit_bytes 68719476736/);
    expect(text).toMatch(/vv_cpu_usage_ratio \d/);
    expect(text).toMatch(/vv_load_average\{period="1m"\} /);
    expect(text).toMatch(/vv_db_pool_connections\{kind="open"\} [1-9]/);
    expect(text).toMatch(/vv_db_pool_connections\{kind="max"\} 20/);
    expect(text).toMatch(/vv_db_dedicated_connections 0/);
    // Already exported by the default metrics: not duplicated under new names.
    expect(text).toMatch(/nodejs_eventloop_lag_p99_seconds /);
    expect(text).toMatch(/process_resident_memory_bytes /);
    const names = [...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]);
    expect(names.length).toBe(new Set(names).size);
  });
});
