import type { AddressInfo } from 'node:net';
import { ADDRESS_FAILURE_FACTOR } from '../src/auth/api-key-authenticator';
import { connectLive, refusalOf } from './support/live-client';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

const FAILURES = 5;

/** Failed-auth throttling refuses failed attempts only: valid keys from the same address always pass (HTTP and live). */
describe('failed-auth throttling cannot lock out a valid key', () => {
  let t: TestApp;
  let url: string;
  let companyKey: string;
  let wrongSecret: string;

  beforeAll(async () => {
    t = await startTestApp({ AUTH_FAILURES_PER_5_MINUTES: String(FAILURES) });
    url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    companyKey = await t.createCompanyKey('diocsa');
    // The valid key's own id with a wrong secret: the guesses an attacker would make at this key.
    wrongSecret = `${companyKey.split('_').slice(0, 2).join('_')}_${'x'.repeat(43)}`;
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After and the standard body to a key prefix over its budget, HTTP and live alike', async () => {
    for (let i = 0; i < FAILURES; i++) await t.as(wrongSecret, 'get', '/api/v1/companies/diocsa').expect(401);
    const limited = await t.as(wrongSecret, 'get', '/api/v1/companies/diocsa').expect(429);
    expect(limited.body).toEqual({ statusCode: 429, code: 'RATE_LIMITED', message: 'too many requests' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(300);
    expect((await refusalOf(url, { apiKey: wrongSecret })).data?.code).toBe('RATE_LIMITED');

    // Another key prefix from the same address has a budget of its own.
    await t.as(`vv_zzzzzzzzzzzz_${'x'.repeat(43)}`, 'get', '/api/v1/companies/diocsa').expect(401);
  });

  it('still lets the valid company key (same prefix) and the admin key through, HTTP and live', async () => {
    await t.as(companyKey, 'get', '/api/v1/companies/diocsa').expect(200);
    await t.admin('get', '/api/v1/companies').expect(200);
    const live = await connectLive(url, { apiKey: companyKey });
    live.close();
  });

  it('caps failures per address over every prefix, and valid keys still pass once the address is over it', async () => {
    for (let i = 0; i < FAILURES * ADDRESS_FAILURE_FACTOR; i++) await t.as(`k${String(i).padStart(4, '0')}-not-a-key-at-all`, 'get', '/api/v1/companies');
    const limited = await t.as('fresh-prefix-never-tried', 'get', '/api/v1/companies').expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect((await refusalOf(url, {})).data?.code).toBe('RATE_LIMITED');

    await t.admin('get', '/api/v1/companies').expect(200);
    await t.as(companyKey, 'get', '/api/v1/companies/diocsa').expect(200);
    (await connectLive(url, { apiKey: ADMIN_KEY })).close();
    (await connectLive(url, { apiKey: companyKey })).close();
  });
});
