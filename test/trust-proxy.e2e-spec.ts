import type { AddressInfo } from 'node:net';
import { refusalOf } from './support/live-client';
import { startTestApp, type TestApp } from './support/test-app';

const WRONG = `vv_aaaaaaaaaaaa_${'x'.repeat(43)}`;
const FAILURES = 3;

/** Failed-auth budgets are per client address: which address that is follows TRUST_PROXY, for HTTP and live alike. */
describe('TRUST_PROXY', () => {
  let t: TestApp | undefined;
  const urlOf = (app: TestApp) => `http://127.0.0.1:${(app.app.getHttpServer().address() as AddressInfo).port}`;
  const attempt = (app: TestApp, forwardedFor: string) => app.as(WRONG, 'get', '/api/v1/companies').set('X-Forwarded-For', forwardedFor);
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('behind one proxy (TRUST_PROXY=1, Render) counts the address the proxy appended, over HTTP and live handshakes', async () => {
    t = await startTestApp({ TRUST_PROXY: '1', AUTH_FAILURES_PER_5_MINUTES: String(FAILURES) });
    // What a client put in front is ignored: the proxy appends the real address last.
    for (let i = 0; i < FAILURES; i++) await attempt(t, `10.9.9.${i}, 203.0.113.5`).expect(401);
    await attempt(t, '203.0.113.5').expect(429);
    await attempt(t, '198.51.100.7').expect(401);

    const url = urlOf(t);
    expect((await refusalOf(url, { apiKey: WRONG }, { 'X-Forwarded-For': '203.0.113.5' })).data?.code).toBe('RATE_LIMITED');
    expect((await refusalOf(url, { apiKey: WRONG }, { 'X-Forwarded-For': '198.51.100.8' })).data?.code).toBe('UNAUTHENTICATED');
  });

  it('trusts no X-Forwarded-For by default, so a client cannot dodge its budget by sending one', async () => {
    t = await startTestApp({ AUTH_FAILURES_PER_5_MINUTES: String(FAILURES) });
    for (let i = 0; i < FAILURES; i++) await attempt(t, `203.0.113.${i}`).expect(401);
    await attempt(t, '198.51.100.99').expect(429);
    expect((await refusalOf(urlOf(t), { apiKey: WRONG }, { 'X-Forwarded-For': '198.51.100.100' })).data?.code).toBe('RATE_LIMITED');
  });
});
