import { ProspectUpsertBatcher } from '../src/prospects/prospect-upsert-batcher.service';
import { CompaniesService } from '../src/tenancy/companies.service';
import { TenantConnectionPool } from '../src/tenancy/tenant-connection-pool.service';
import { startTestApp, type TestApp } from './support/test-app';

describe('per-company database operation cap', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ TENANT_MAX_CONCURRENT_OPS: '5', TENANT_OP_QUEUE_SIZE: '60', TENANT_OP_WAIT_TIMEOUT_MS: '1500' });
    const mitsubishi = await t.app.get(CompaniesService).get('mitsubishi');
    const batcher = t.app.get(ProspectUpsertBatcher);
    await Promise.all(Array.from({ length: 500 }, (_, i) => batcher.upsert(mitsubishi, { number: `+5255${String(20_000_000 + i)}`, set: { name: `n${i}` } })));
  });
  afterAll(() => t.close());

  it('never runs more than 5 operations of a flooding company while another company is served', async () => {
    const pool = t.app.get(TenantConnectionPool);
    const companies = t.app.get(CompaniesService);
    const [mitsubishi, diocsa] = [await companies.get('mitsubishi'), await companies.get('diocsa')];
    const [floodKey, otherKey] = [await t.createCompanyKey('mitsubishi'), await t.createCompanyKey('diocsa')];

    const flood = Array.from({ length: 200 }, (_, i) => t.as(floodKey, 'get', `/api/v1/companies/mitsubishi/prospects?limit=50&search=n${i % 50}`));
    const started = Date.now();
    const other = Array.from({ length: 10 }, () => t.as(otherKey, 'get', '/api/v1/companies/diocsa/prospects'));
    const [floodResponses, otherResponses] = await Promise.all([Promise.all(flood), Promise.all(other)]);

    expect(otherResponses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(pool.stats(diocsa).peakActive).toBeLessThanOrEqual(5);
    const stats = pool.stats(mitsubishi);
    expect(stats.peakActive).toBe(5);
    const served = floodResponses.filter((r) => r.status === 200);
    const busy = floodResponses.filter((r) => r.status === 503);
    expect(served.length + busy.length).toBe(200);
    expect(served.length).toBeGreaterThan(0);
    for (const response of busy) {
      expect(response.body).toMatchObject({ statusCode: 503, code: 'TENANT_BUSY' });
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
