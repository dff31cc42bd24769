import { getExpectedTwilioSignature } from 'twilio';
import { CompaniesService } from '../src/tenancy/companies.service';
import { startTestApp, type TestApp } from './support/test-app';

const QL = { accountSid: `AC${'0123456789abcdef'.repeat(2)}`, authToken: 'ql-auth-token-0123456789abcdef', from: 'whatsapp:+14155238886' };
const PUBLIC_BASE_URL = 'https://vv.example.com';
const base = (company: string) => `/api/v1/companies/${company}`;

type Method = 'get' | 'post';
/** A route of each kind; the conversation routes, sending and a Twilio receipt looked the company up two to four times per request. */
const ROUTES: Array<{ method: Method; path: (company: string) => string; body?: object; status: number }> = [
  { method: 'get', path: (c) => `${base(c)}/sessions/desk`, status: 200 },
  { method: 'get', path: (c) => `${base(c)}/sessions/desk/chats`, status: 200 },
  { method: 'get', path: (c) => `${base(c)}/sessions/desk/chats/${encodeURIComponent('+525512345678')}/messages`, status: 200 },
  { method: 'post', path: (c) => `${base(c)}/sessions/desk/messages`, body: { to: '+525512345678', text: 'hola' }, status: 202 },
  { method: 'get', path: (c) => `${base(c)}/prospects`, status: 200 },
  { method: 'get', path: (c) => `${base(c)}/webhooks`, status: 200 },
  { method: 'get', path: (c) => `${base(c)}/events`, status: 200 },
  { method: 'get', path: (c) => `/health/companies/${c}`, status: 200 },
];

/**
 * The company a route names is looked up once per request, after the guards, on the real service (observed, not
 * replaced): a key for another company is refused before anything is looked up, exists the company or not.
 */
describe("the route's company, resolved once at the edge", () => {
  let t: TestApp;
  let diocsaKey: string;
  let lookups: jest.SpiedFunction<CompaniesService['get']>;

  /** Calls of CompaniesService.get for `company` while the request runs. */
  async function lookupsOf(company: string, request: () => Promise<{ status: number; body: { code?: string } }>) {
    lookups.mockClear();
    const response = await request();
    return { status: response.status, code: response.body.code, lookups: lookups.mock.calls.filter(([slug]) => slug === company).length };
  }

  function twilioStatusCallback(signed: boolean) {
    const path = '/webhooks/twilio/quicklearning';
    const form = { MessageSid: `SM${'c'.repeat(32)}`, AccountSid: QL.accountSid, MessageStatus: 'delivered', From: QL.from, To: 'whatsapp:+5215512345678' };
    const signature = signed ? getExpectedTwilioSignature(QL.authToken, `${PUBLIC_BASE_URL}${path}`, form) : 'bm90IGEgc2lnbmF0dXJl';
    return t.http().post(path).type('form').set('X-Twilio-Signature', signature).send(form);
  }

  beforeAll(async () => {
    t = await startTestApp({ TWILIO_ACCOUNTS: JSON.stringify({ quicklearning: QL }), PUBLIC_BASE_URL });
    diocsaKey = await t.createCompanyKey('diocsa');
    await t
      .admin('post', `${base('diocsa')}/sessions`)
      .send({ name: 'desk' })
      .expect(201);
    lookups = jest.spyOn(t.app.get(CompaniesService), 'get');
  });
  afterAll(async () => {
    lookups.mockRestore();
    await t.close();
  });

  it.each(ROUTES.map((route) => [`${route.method.toUpperCase()} ${route.path(':company')}`, route]))('%s looks its company up once', async (_, route) => {
    const outcome = await lookupsOf('diocsa', () => t.as(diocsaKey, route.method, route.path('diocsa')).send(route.body));
    expect(outcome).toEqual({ status: route.status, code: undefined, lookups: 1 });
  });

  it('looks the company of a signed Twilio callback up once, and not at all for an unsigned one', async () => {
    expect(await lookupsOf('quicklearning', () => twilioStatusCallback(true))).toEqual({ status: 200, code: undefined, lookups: 1 });
    expect(await lookupsOf('quicklearning', () => twilioStatusCallback(false))).toEqual({ status: 403, code: 'FORBIDDEN', lookups: 0 });
  });

  it('refuses a key for another company with the same 403 whether that company exists or not, before looking it up', async () => {
    for (const route of ROUTES) {
      const existing = await lookupsOf('mitsubishi', () => t.as(diocsaKey, route.method, route.path('mitsubishi')).send(route.body));
      const missing = await lookupsOf('no-such-company', () => t.as(diocsaKey, route.method, route.path('no-such-company')).send(route.body));
      expect([route.path(':company'), existing]).toEqual([route.path(':company'), { status: 403, code: 'FORBIDDEN', lookups: 0 }]);
      expect(missing).toEqual(existing);
    }
  });

  it('answers the admin 404 COMPANY_NOT_FOUND for a company that does not exist', async () => {
    for (const route of [...ROUTES, { method: 'get' as const, path: base }, { method: 'get' as const, path: (c: string) => `${base(c)}/api-keys` }]) {
      const outcome = await lookupsOf('no-such-company', () =>
        t.admin(route.method, route.path('no-such-company')).send('body' in route ? route.body : undefined),
      );
      expect([route.path(':company'), outcome]).toEqual([route.path(':company'), { status: 404, code: 'COMPANY_NOT_FOUND', lookups: 1 }]);
    }
  });
});
