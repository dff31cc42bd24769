import { Draining } from '../src/core/lifecycle/draining';
import { CompaniesService } from '../src/tenancy/companies.service';
import { startTestApp, type TestApp } from './support/test-app';

describe('health', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      TENANT_CLUSTER_URIS: JSON.stringify({ broken: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300' }),
      HEALTH_DB_PING_TIMEOUT_MS: '1500',
      MONGO_SERVER_SELECTION_TIMEOUT_MS: '500',
      // The Jest worker hosting this app holds every test file it ran; its RSS is not this service's.
      MEMORY_LIMIT_MB: '65536',
    });
  });
  afterAll(() => t.close());

  it('is live and ready with the four launch companies up by name', async () => {
    const live = await t.http().get('/health/live').expect(200);
    expect(live.body).toMatchObject({ status: 'ok', details: { process: { status: 'up' } } });
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    for (const company of ['mitsubishi', 'diocsa', 'simple-green', 'quicklearning']) {
      expect(ready.body.details[company]).toMatchObject({ status: 'up', database: 'up', pool: { limit: 5 } });
    }
    expect(ready.body.details['control-db'].status).toBe('up');
    expect(ready.body.details.memory).toMatchObject({ status: 'up', level: 'ok' });
    expect(ready.body.details.ingest).toEqual({ status: 'up', held: 0, limit: 10_000, perCompanyLimit: 2_000, waitingSources: 0, heldByCompany: {} });
  });

  it('names a company whose database is unreachable as down while the others keep working', async () => {
    await t.app.get(CompaniesService).create({ slug: 'broken-co', displayName: 'Broken', provider: 'baileys', cluster: 'broken' });

    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.details['broken-co']).toMatchObject({ status: 'down', database: 'down' });
    expect(ready.body.error['broken-co'].status).toBe('down');
    expect(ready.body.details.mitsubishi.status).toBe('up');

    const company = await t.http().get('/health/companies/broken-co').expect(503);
    expect(company.body).toMatchObject({ status: 'error', details: { 'broken-co': { status: 'down' } } });
    await t.http().get('/health/companies/mitsubishi').expect(200);
    await t.http().get('/health/companies/nope').expect(404);

    const brokenKey = await t.createCompanyKey('broken-co');
    const refused = await t.as(brokenKey, 'get', '/api/v1/companies/broken-co/prospects').expect(503);
    expect(refused.body.code).toBe('TENANT_UNAVAILABLE');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const healthyKey = await t.createCompanyKey('mitsubishi');
    await t.as(healthyKey, 'get', '/api/v1/companies/mitsubishi/prospects').expect(200);
  });

  it('exposes Prometheus metrics including per-company operation gauges', async () => {
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/vv_tenant_db_operations_limit\{company="mitsubishi"\} 5/);
    expect(metrics.text).toMatch(/process_resident_memory_bytes/);
    expect(metrics.text).toMatch(/# TYPE vv_sessions gauge/);
    expect(metrics.text).toMatch(/# TYPE vv_inbound_messages_total counter/);
  });

  it('turns readiness 503 and refuses new requests once draining for a shutdown, while liveness stays up', async () => {
    t.app.get(Draining).begin();
    expect((await t.http().get('/health/ready').expect(503)).body.status).toBe('error');
    await t.http().get('/health/live').expect(200);
    const refused = await t.admin('get', '/api/v1/companies/mitsubishi/sessions').expect(503);
    expect(refused.body.code).toBe('SHUTTING_DOWN');
    expect(refused.headers['retry-after']).toBeDefined();
  });
});
