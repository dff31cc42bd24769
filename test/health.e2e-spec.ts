import { Draining } from '../src/core/lifecycle/draining';
import { CompaniesService } from '../src/tenancy/companies.service';
import { startTestApp, type TestApp } from './support/test-app';

const PROBE_TOKEN = 'probe-token-0123456789abcdefghij';
const LAUNCH_COMPANIES = ['mitsubishi', 'diocsa', 'simple-green', 'quicklearning'];

describe('health', () => {
  let t: TestApp;
  const probe = (path: string) => t.http().get(path).set('Authorization', `Bearer ${PROBE_TOKEN}`);

  beforeAll(async () => {
    t = await startTestApp({
      TENANT_CLUSTER_URIS: JSON.stringify({ broken: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300' }),
      HEALTH_DB_PING_TIMEOUT_MS: '1500',
      MONGO_SERVER_SELECTION_TIMEOUT_MS: '500',
      PROBE_TOKEN,
      // The Jest worker hosting this app holds every test file it ran; its RSS is not this service's.
      MEMORY_LIMIT_MB: '65536',
    });
  });
  afterAll(() => t.close());

  it('is live, and ready with the four launch companies up by name for the admin key and the probe token', async () => {
    expect((await t.http().get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
    for (const ready of [await t.admin('get', '/health/ready').expect(200), await probe('/health/ready').expect(200)]) {
      expect(ready.body.status).toBe('ok');
      for (const company of LAUNCH_COMPANIES) {
        expect(ready.body.details[company]).toMatchObject({ status: 'up', database: 'up', pool: { limit: 5 } });
      }
      expect(ready.body.details['control-db'].status).toBe('up');
      expect(ready.body.details.memory).toMatchObject({ status: 'up', level: 'ok' });
      expect(ready.body.details.ingest).toEqual({
        status: 'up',
        held: 0,
        limit: 10_000,
        perCompanyLimit: 2_000,
        waitingSources: 0,
        heldByCompany: {},
        writeAgeSeconds: {},
      });
      expect(ready.body.companies).toEqual({ total: 4, up: 4, degraded: 0, down: 0 });
    }
  });

  it('names no company to anyone else: no credentials, a company key, a wrong token or key', async () => {
    const companyKey = await t.createCompanyKey('diocsa');
    const callers = [
      t.http().get('/health/ready'),
      t.as(companyKey, 'get', '/health/ready'),
      t.http().get('/health/ready').set('Authorization', 'Bearer not-the-probe-token-0123456789'),
      t.as('not-a-key-at-all', 'get', '/health/ready'),
    ];
    for (const caller of callers) {
      const ready = await caller.expect(200);
      expect(ready.body).toEqual({
        status: 'ok',
        checks: { 'control-db': 'up', memory: 'up', ingest: 'up' },
        companies: { total: 4, up: 4, degraded: 0, down: 0 },
      });
      for (const company of LAUNCH_COMPANIES) expect(JSON.stringify(ready.body)).not.toContain(company);
    }
  });

  it('answers /health/companies/:company to the admin key and the company key only, 403 for others whether or not it exists', async () => {
    const diocsaKey = await t.createCompanyKey('diocsa');
    const own = await t.as(diocsaKey, 'get', '/health/companies/diocsa').expect(200);
    expect(own.body).toMatchObject({ status: 'ok', details: { diocsa: { status: 'up' } } });
    await t.admin('get', '/health/companies/mitsubishi').expect(200);
    await t.admin('get', '/health/companies/nope').expect(404);

    const elsewhere = await t.as(diocsaKey, 'get', '/health/companies/mitsubishi').expect(403);
    const missing = await t.as(diocsaKey, 'get', '/health/companies/nope').expect(403);
    expect(missing.body).toEqual(elsewhere.body);
    expect(elsewhere.body.code).toBe('FORBIDDEN');
    expect((await t.http().get('/health/companies/mitsubishi').expect(401)).body.code).toBe('UNAUTHENTICATED');
    await t.http().get('/health/companies/nope').expect(401);
  });

  it('names a company whose database is unreachable as down while the others keep working', async () => {
    await t.app.get(CompaniesService).create({ slug: 'broken-co', displayName: 'Broken', provider: 'baileys', cluster: 'broken' });

    const ready = await t.admin('get', '/health/ready').expect(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.details['broken-co']).toMatchObject({ status: 'down', database: 'down' });
    expect(ready.body.error['broken-co'].status).toBe('down');
    expect(ready.body.details.mitsubishi.status).toBe('up');
    const anonymous = await t.http().get('/health/ready').expect(200);
    expect(anonymous.body).toMatchObject({ status: 'degraded', companies: { total: 5, up: 4, down: 1 } });
    expect(JSON.stringify(anonymous.body)).not.toContain('broken-co');

    const company = await t.admin('get', '/health/companies/broken-co').expect(503);
    expect(company.body).toMatchObject({ status: 'error', details: { 'broken-co': { status: 'down' } } });

    const brokenKey = await t.createCompanyKey('broken-co');
    const refused = await t.as(brokenKey, 'get', '/api/v1/companies/broken-co/prospects').expect(503);
    expect(refused.body.code).toBe('TENANT_UNAVAILABLE');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const healthyKey = await t.createCompanyKey('mitsubishi');
    await t.as(healthyKey, 'get', '/api/v1/companies/mitsubishi/prospects').expect(200);
  });

  it('exposes Prometheus metrics including per-company operation gauges', async () => {
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
    expect(metrics.text).toMatch(/vv_tenant_db_operations_limit\{company="mitsubishi"\} 5/);
    expect(metrics.text).toMatch(/process_resident_memory_bytes/);
    expect(metrics.text).toMatch(/# TYPE vv_sessions gauge/);
    expect(metrics.text).toMatch(/# TYPE vv_inbound_messages_total counter/);
    expect(metrics.text).toMatch(/# TYPE vv_ingest_write_age_seconds gauge/);
  });

  it('turns readiness 503 and refuses new requests once draining for a shutdown, while liveness stays up', async () => {
    t.app.get(Draining).begin();
    expect((await t.http().get('/health/ready').expect(503)).body).toEqual({
      status: 'error',
      checks: { process: 'down' },
      companies: { total: 0, up: 0, degraded: 0, down: 0 },
    });
    expect((await probe('/health/ready').expect(503)).body.status).toBe('error');
    await t.http().get('/health/live').expect(200);
    const refused = await t.admin('get', '/api/v1/companies/mitsubishi/sessions').expect(503);
    expect(refused.body.code).toBe('SHUTTING_DOWN');
    expect(refused.headers['retry-after']).toBeDefined();
  });
});
