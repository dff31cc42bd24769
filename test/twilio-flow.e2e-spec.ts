import { getExpectedTwilioSignature } from 'twilio';
import { SessionManager } from '../src/sessions/session-manager.service';
import { FakeTwilioApi } from './support/fake-twilio-api';
import { startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

const ACCOUNT = { accountSid: `AC${'0123456789abcdef'.repeat(2)}`, authToken: 'ql-auth-token-0123456789abcdef', from: 'whatsapp:+14155238886' };
const PUBLIC = 'https://vv.example.com';
const base = '/api/v1/companies/quicklearning/sessions/main';

describe('a Twilio session end to end (real SDK, local stand-in for Twilio)', () => {
  const api = new FakeTwilioApi();
  let t: TestApp;

  const webhook = (params: Record<string, string>) =>
    t
      .http()
      .post('/webhooks/twilio/quicklearning')
      .type('form')
      .set('X-Twilio-Signature', getExpectedTwilioSignature(ACCOUNT.authToken, `${PUBLIC}/webhooks/twilio/quicklearning`, params))
      .send(params);

  beforeAll(async () => {
    const apiBaseUrl = await api.start();
    t = await startTestApp({ TWILIO_ACCOUNTS: JSON.stringify({ quicklearning: ACCOUNT }), TWILIO_API_BASE_URL: apiBaseUrl, PUBLIC_BASE_URL: PUBLIC });
  });
  afterAll(async () => {
    await t.close();
    await api.stop();
  });

  it('stores signed inbound webhooks once, sends outbound through the Messages API and follows status callbacks', async () => {
    await t.admin('post', '/api/v1/companies/quicklearning/sessions').send({ name: 'main' }).expect(201);
    await t.admin('post', `${base}/start`).expect(202);
    await until(() => t.app.get(SessionManager).runtime('quicklearning', 'main')?.status === 'WORKING', { what: 'the session working' });

    const inbound = { MessageSid: 'SM_IN_1', From: 'whatsapp:+5215512345678', To: ACCOUNT.from, Body: 'quiero info', NumMedia: '0', ProfileName: 'Ana' };
    await webhook(inbound).expect(200);
    await webhook(inbound).expect(200);
    await until(async () => (await t.admin('get', `${base}/chats`)).body.items.length === 1, { what: 'one chat' });
    const messages = await t.admin('get', `${base}/chats/${encodeURIComponent('+525512345678')}/messages`).expect(200);
    expect(messages.body.items).toEqual([expect.objectContaining({ providerMessageId: 'SM_IN_1', direction: 'inbound', text: 'quiero info' })]);
    await until(async () => (await t.admin('get', '/api/v1/companies/quicklearning/prospects/+525512345678')).status === 200, { what: 'the prospect' });
    expect((await t.admin('get', '/api/v1/companies/quicklearning/prospects/+525512345678')).body).toMatchObject({
      name: 'Ana',
      data: { firstSource: 'whatsapp:main' },
    });

    const queued = await t.admin('post', `${base}/messages`).send({ to: '+525512345678', text: 'claro' }).expect(202);
    await until(async () => (await t.admin('get', `${base}/messages/${queued.body.id}`)).body.status === 'sent', { what: 'the message sent' });
    const call = api.calls.at(-1)!;
    expect(call.url).toBe(`/2010-04-01/Accounts/${ACCOUNT.accountSid}/Messages.json`);
    expect(call.form.get('To')).toBe('whatsapp:+525512345678');
    expect(call.form.get('Body')).toBe('claro');
    const sid = (await t.admin('get', `${base}/messages/${queued.body.id}`)).body.providerMessageId;

    await webhook({ MessageSid: sid, MessageStatus: 'delivered', From: ACCOUNT.from, To: 'whatsapp:+5215512345678' }).expect(200);
    await until(async () => (await t.admin('get', `${base}/messages/${queued.body.id}`)).body.status === 'delivered', { what: 'the message delivered' });
  });
});
