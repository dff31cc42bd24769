import { ProspectUpsertBatcher } from '../src/prospects/prospect-upsert-batcher.service';
import { CompaniesService } from '../src/tenancy/companies.service';
import { startTestApp, type TestApp } from './support/test-app';

const COMPANIES = ['mitsubishi', 'diocsa', 'simple-green', 'quicklearning'];
const NUMBER_OF: Record<string, string> = {
  mitsubishi: '+525511110001',
  diocsa: '+525522220002',
  'simple-green': '+525533330003',
  quicklearning: '+525544440004',
};

type Method = 'get' | 'post' | 'patch' | 'delete';
/** Every route that names a company, with a body valid enough to reach the handler. */
const ROUTES: Array<{ method: Method; path: (c: string) => string; body?: object; companyKeyAllowed: boolean }> = [
  { method: 'get', path: (c) => `/api/v1/companies/${c}`, companyKeyAllowed: true },
  { method: 'patch', path: (c) => `/api/v1/companies/${c}`, body: { displayName: 'X' }, companyKeyAllowed: false },
  { method: 'post', path: (c) => `/api/v1/companies/${c}/api-keys`, body: { name: 'k' }, companyKeyAllowed: false },
  { method: 'get', path: (c) => `/api/v1/companies/${c}/api-keys`, companyKeyAllowed: false },
  { method: 'delete', path: (c) => `/api/v1/companies/${c}/api-keys/abc`, companyKeyAllowed: false },
  { method: 'get', path: (c) => `/api/v1/companies/${c}/prospects`, companyKeyAllowed: true },
  { method: 'get', path: (c) => `/api/v1/companies/${c}/prospects/${encodeURIComponent(NUMBER_OF[c] ?? '+525500000000')}`, companyKeyAllowed: true },
  {
    method: 'patch',
    path: (c) => `/api/v1/companies/${c}/prospects/${encodeURIComponent(NUMBER_OF[c] ?? '+525500000000')}`,
    body: { stage: 'x' },
    companyKeyAllowed: true,
  },
  { method: 'post', path: (c) => `/api/v1/companies/${c}/prospects/import`, body: { rows: [{ number: '+525599990000' }] }, companyKeyAllowed: true },
];

describe('tenant isolation', () => {
  let t: TestApp;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    for (const company of COMPANIES) {
      keys[company] = await t.createCompanyKey(company);
      const record = await t.app.get(CompaniesService).get(company);
      await t.app.get(ProspectUpsertBatcher).upsert(record, { number: NUMBER_OF[company], set: { name: `secret of ${company}` } });
    }
  });
  afterAll(() => t.close());

  it.each(COMPANIES)('a %s key gets 403 and no data on every route of every other company', async (own) => {
    for (const other of [...COMPANIES.filter((c) => c !== own), 'no-such-company']) {
      for (const route of ROUTES) {
        const response = await t.as(keys[own], route.method, route.path(other)).send(route.body);
        expect({ route: `${route.method} ${route.path(other)}`, status: response.status, code: response.body.code }).toEqual({
          route: `${route.method} ${route.path(other)}`,
          status: 403,
          code: 'FORBIDDEN',
        });
        expect(JSON.stringify(response.body)).not.toMatch(/secret of|\+52\d{10}/);
      }
    }
  });

  it('answers a foreign company that exists exactly like one that does not', async () => {
    const existing = await t.as(keys.mitsubishi, 'get', '/api/v1/companies/diocsa/prospects');
    const missing = await t.as(keys.mitsubishi, 'get', '/api/v1/companies/nope/prospects');
    expect(existing.body).toEqual(missing.body);
  });

  it.each(COMPANIES)('a %s key reaches its own data and is refused admin-only routes', async (own) => {
    for (const route of ROUTES) {
      const response = await t.as(keys[own], route.method, route.path(own)).send(route.body);
      if (route.companyKeyAllowed) expect([200, 201]).toContain(response.status);
      else expect({ status: response.status, code: response.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    const list = await t.as(keys[own], 'get', `/api/v1/companies/${own}/prospects`).expect(200);
    expect(list.body.items.map((p: { name?: string }) => p.name)).toContain(`secret of ${own}`);
    expect(JSON.stringify(list.body)).not.toMatch(
      new RegExp(
        COMPANIES.filter((c) => c !== own)
          .map((c) => `secret of ${c}`)
          .join('|'),
      ),
    );
  });

  it('refuses company keys on the admin company listing and creation', async () => {
    await t.as(keys.diocsa, 'get', '/api/v1/companies').expect(403);
    await t.as(keys.diocsa, 'post', '/api/v1/companies').send({ slug: 'evil', displayName: 'E', provider: 'twilio' }).expect(403);
  });
});
