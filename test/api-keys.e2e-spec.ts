import { parseApiKey } from '../src/auth/api-key';
import { startTestApp, type TestApp } from './support/test-app';

describe('API keys and admin companies', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('shows a key once, lists it without its secret, and stops accepting it once revoked', async () => {
    const created = await t.admin('post', '/api/v1/companies/diocsa/api-keys').send({ name: 'crm' }).expect(201);
    expect(created.body.key).toMatch(/^vv_[a-z0-9]{12}_/);
    await t.as(created.body.key, 'get', '/api/v1/companies/diocsa').expect(200);

    const listed = await t.admin('get', '/api/v1/companies/diocsa/api-keys').expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: created.body.id, name: 'crm', company: 'diocsa' })]);
    expect(JSON.stringify(listed.body)).not.toContain(parseApiKey(created.body.key)!.secret);
    expect(JSON.stringify(listed.body)).not.toMatch(/secretHash/);

    await t.admin('delete', `/api/v1/companies/diocsa/api-keys/${created.body.id}`).expect(204);
    const refused = await t.as(created.body.key, 'get', '/api/v1/companies/diocsa').expect(401);
    expect(refused.body.code).toBe('UNAUTHENTICATED');
    await t.admin('delete', '/api/v1/companies/diocsa/api-keys/doesnotexist').expect(404);
  });

  it('lets the admin create, update and list companies with validated input', async () => {
    const created = await t
      .admin('post', '/api/v1/companies')
      .send({ slug: 'acme-motors', displayName: 'Acme', provider: 'baileys', caps: { maxConcurrentOps: 3 } })
      .expect(201);
    expect(created.body).toMatchObject({ slug: 'acme-motors', provider: 'baileys', caps: { maxConcurrentOps: 3 } });
    const dup = await t.admin('post', '/api/v1/companies').send({ slug: 'acme-motors', displayName: 'Acme', provider: 'baileys' }).expect(409);
    expect(dup.body.code).toBe('COMPANY_ALREADY_EXISTS');
    const bad = await t.admin('post', '/api/v1/companies').send({ slug: 'Bad Slug!', displayName: '', provider: 'fax' }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.details.length).toBeGreaterThanOrEqual(3);
    const cluster = await t.admin('post', '/api/v1/companies').send({ slug: 'other', displayName: 'O', provider: 'twilio', cluster: 'nowhere' }).expect(400);
    expect(cluster.body.code).toBe('UNKNOWN_CLUSTER');
    await t.admin('patch', '/api/v1/companies/acme-motors').send({ displayName: 'Acme Motors' }).expect(200);
    const list = await t.admin('get', '/api/v1/companies').expect(200);
    expect(list.body.map((c: { slug: string }) => c.slug)).toEqual(['acme-motors', 'diocsa', 'mitsubishi', 'quicklearning', 'simple-green']);
    await t.admin('get', '/api/v1/companies/nope').expect(404);
  });

  it('serves the OpenAPI document at /docs', async () => {
    const doc = await t.http().get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/companies/{company}/prospects/import']));
  });
});

describe('rate limits', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '20', AUTH_FAILURES_PER_5_MINUTES: '5' });
  });
  afterEach(() => t.close());

  it('rejects missing and unknown keys with 401, then rate-limits failed attempts with 429', async () => {
    expect((await t.http().get('/api/v1/companies')).body.code).toBe('UNAUTHENTICATED');
    for (let i = 0; i < 5; i++) await t.as(`vv_aaaaaaaaaaaa_${'x'.repeat(43)}`, 'get', '/api/v1/companies').expect(401);
    const limited = await t.as(`vv_aaaaaaaaaaaa_${'y'.repeat(43)}`, 'get', '/api/v1/companies').expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('limits requests per key with 429 and Retry-After', async () => {
    const key = await t.createCompanyKey('mitsubishi');
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await t.as(key, 'get', '/api/v1/companies/mitsubishi')).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200));
    const limited = await t.as(key, 'get', '/api/v1/companies/mitsubishi').expect(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });
});
