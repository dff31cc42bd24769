import request from 'supertest';
import { freePort } from './support/service-process';
import { startTestApp, type TestApp } from './support/test-app';

const METRICS_TOKEN = 'metrics-token-0123456789abcdefghij';

describe('metrics access', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('needs the bearer METRICS_TOKEN when it is set (not an API key), and serves METRICS_PORT without credentials', async () => {
    const port = await freePort();
    t = await startTestApp({ METRICS_TOKEN, METRICS_PORT: String(port) });
    expect((await t.http().get('/metrics').expect(401)).body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    await t.http().get('/metrics').set('Authorization', 'Bearer metrics-token-0123456789abcdefghiX').expect(401);
    await t.admin('get', '/metrics').expect(401);
    const page = await t.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(page.text).toMatch(/vv_tenant_db_operations_limit\{company="mitsubishi"\} 5/);

    const own = await request(`http://127.0.0.1:${port}`).get('/metrics').expect(200);
    expect(own.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
    expect(own.text).toMatch(/vv_tenant_db_operations_limit\{company="mitsubishi"\} 5/);
    // Only the metrics page there: not the API, not the probes.
    await request(`http://127.0.0.1:${port}`).get('/health/ready').expect(404);
    await request(`http://127.0.0.1:${port}`).get('/api/v1/companies').expect(404);
  });

  it('is not served on the HTTP port in production without METRICS_TOKEN', async () => {
    t = await startTestApp({ NODE_ENV: 'production' });
    const refused = await t.http().get('/metrics').expect(404);
    expect(refused.body.code).toBe('NOT_FOUND');
    expect(refused.text).not.toContain('vv_');
  });
});
