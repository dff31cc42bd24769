import { getExpectedTwilioSignature, RestException } from 'twilio';
import type { ProviderEvent } from '../src/providers/provider-events';
import { ProviderOperationUnsupportedError, type ProviderClient } from '../src/providers/provider.port';
import { TwilioAdapter } from '../src/providers/twilio/twilio.adapter';
import { CompaniesService } from '../src/tenancy/companies.service';
import { FakeTwilioApi } from './support/fake-twilio-api';
import { startTestApp, type TestApp } from './support/test-app';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

const QL = { accountSid: `AC${'0123456789abcdef'.repeat(2)}`, authToken: 'ql-auth-token-0123456789abcdef', from: 'whatsapp:+14155238886' };
const SG = { accountSid: `AC${'fedcba9876543210'.repeat(2)}`, authToken: 'sg-auth-token-fedcba9876543210', from: 'whatsapp:+14155238887' };
const PUBLIC_BASE_URL = 'https://vv.example.com';

describe('Twilio provider (SDK against a local stand-in for Twilio)', () => {
  const twilioApi = new FakeTwilioApi();
  const running: ProviderClient[] = [];
  let t: TestApp;
  let adapter: TwilioAdapter;

  let twilioBaseUrl: string;

  beforeAll(async () => {
    twilioBaseUrl = await twilioApi.start();
    t = await startTestApp({
      TWILIO_ACCOUNTS: JSON.stringify({ quicklearning: QL, 'simple-green': SG }),
      TWILIO_API_BASE_URL: twilioBaseUrl,
      PUBLIC_BASE_URL,
    });
    adapter = t.app.get(TwilioAdapter);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((client) => client.stop()));
  });

  afterAll(async () => {
    await t.close();
    await twilioApi.stop();
  });

  async function startClient(company = 'quicklearning'): Promise<{ client: ProviderClient; events: ProviderEvent[] }> {
    const events: ProviderEvent[] = [];
    const client = adapter.createClient({ company: await t.app.get(CompaniesService).get(company), name: 'main' }, async (e) => void events.push(e));
    await client.start();
    running.push(client);
    return { client, events };
  }

  function webhook(company: string, params: Record<string, string>, signature?: string, app = t) {
    const path = `/webhooks/twilio/${company}`;
    const request = app.http().post(path).type('form');
    const token = company === 'simple-green' ? SG.authToken : QL.authToken;
    const signed = signature ?? getExpectedTwilioSignature(token, `${PUBLIC_BASE_URL}${path}`, params);
    return request.set('X-Twilio-Signature', signed).send(params);
  }

  const messages = (company: string, app = t) =>
    app.app
      .get<Connection>(getConnectionToken())
      .useDb(`${app.run}_${company.replace(/-/g, '_')}`)
      .collection('messages');

  const inbound = {
    MessageSid: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    AccountSid: QL.accountSid,
    From: 'whatsapp:+5215512345678',
    To: QL.from,
    Body: 'Hola, ¿tienen cursos de inglés?',
    NumMedia: '0',
    ProfileName: 'Ana López',
    WaId: '5215512345678',
    SmsStatus: 'received',
  };

  describe('client', () => {
    it('is ready on start with its number, and sends text through the Messages API with the account credentials', async () => {
      const { client, events } = await startClient();
      expect(events).toEqual([{ type: 'ready', phone: '+14155238886' }]);
      const before = twilioApi.calls.length;

      const result = await client.send({ to: '+52 55 1234 5678', kind: 'text', text: 'Hello from Virtual Voices' });

      const call = twilioApi.calls[before];
      expect(twilioApi.calls).toHaveLength(before + 1);
      expect(call.method).toBe('POST');
      expect(call.url).toBe(`/2010-04-01/Accounts/${QL.accountSid}/Messages.json`);
      expect(call.authorization).toBe(`Basic ${Buffer.from(`${QL.accountSid}:${QL.authToken}`).toString('base64')}`);
      expect(Object.fromEntries(call.form)).toEqual({
        From: 'whatsapp:+14155238886',
        To: 'whatsapp:+525512345678',
        Body: 'Hello from Virtual Voices',
        StatusCallback: 'https://vv.example.com/webhooks/twilio/quicklearning',
      });
      expect(result).toEqual({ providerMessageId: `SM${String(before + 1).padStart(32, '0')}` });
    });

    it('sends media as MediaUrl with the caption as Body, with each company its own account', async () => {
      const { client } = await startClient('simple-green');
      const before = twilioApi.calls.length;

      const result = await client.send({ to: '+14155552671', kind: 'document', url: 'https://cdn.example.com/brochure.pdf', caption: 'Our brochure' });

      const call = twilioApi.calls[before];
      expect(call.url).toBe(`/2010-04-01/Accounts/${SG.accountSid}/Messages.json`);
      expect(call.authorization).toBe(`Basic ${Buffer.from(`${SG.accountSid}:${SG.authToken}`).toString('base64')}`);
      expect(call.form.getAll('MediaUrl')).toEqual(['https://cdn.example.com/brochure.pdf']);
      expect(call.form.get('Body')).toBe('Our brochure');
      expect(call.form.get('From')).toBe(SG.from);
      expect(result.providerMessageId).toMatch(/^SM\d{32}$/);
    });

    it("passes Twilio's API errors on, and refuses a recipient that is not a phone number without calling Twilio", async () => {
      const { client } = await startClient();
      twilioApi.failNext = { status: 400, code: 21211, message: "Invalid 'To' Phone Number" };
      const rejected = client.send({ to: '+14155552671', kind: 'text', text: 'hi' });
      await expect(rejected).rejects.toBeInstanceOf(RestException);
      await expect(rejected).rejects.toMatchObject({ status: 400, code: 21211 });

      const before = twilioApi.calls.length;
      await expect(client.send({ to: 'not a number', kind: 'text', text: 'hi' })).rejects.toMatchObject({ code: 'INVALID_PHONE_NUMBER' });
      expect(twilioApi.calls).toHaveLength(before);
    });

    it('has no pairing codes, and needs a configured account', async () => {
      const { client } = await startClient();
      await expect(client.requestPairingCode('+14155552671')).rejects.toBeInstanceOf(ProviderOperationUnsupportedError);

      const diocsa = await t.app.get(CompaniesService).get('diocsa');
      expect(() => adapter.createClient({ company: diocsa, name: 'main' }, async () => undefined)).toThrow(
        expect.objectContaining({ code: 'PROVIDER_NOT_CONFIGURED', message: expect.stringContaining('"diocsa"') }),
      );
    });
  });

  describe('webhook', () => {
    beforeAll(async () => {
      await t.admin('post', '/api/v1/companies/quicklearning/sessions').send({ name: 'main' }).expect(201);
      await t.admin('post', '/api/v1/companies/quicklearning/sessions').send({ name: 'support', sender: '+14155230000' }).expect(201);
      await t
        .admin('post', '/api/v1/companies/quicklearning/sessions')
        .send({ name: 'campaigns', sender: `MG${'ab'.repeat(16)}` })
        .expect(201);
    });

    it('stores a signed inbound message before answering 200 with empty TwiML, with no session running, once however often it is redelivered', async () => {
      const response = await webhook('quicklearning', inbound).expect(200);

      expect(response.headers['content-type']).toMatch(/^text\/xml/);
      expect(response.text).toBe('<Response></Response>');
      const stored = await messages('quicklearning').find({ providerMessageId: inbound.MessageSid }).toArray();
      expect(stored).toEqual([
        expect.objectContaining({
          session: { name: 'main' },
          direction: 'inbound',
          from: '+525512345678',
          to: '+14155238886',
          phone: '+525512345678',
          text: inbound.Body,
          senderName: 'Ana López',
        }),
      ]);

      await webhook('quicklearning', inbound).expect(200);
      await webhook('quicklearning', inbound).expect(200);
      expect(await messages('quicklearning').countDocuments({ providerMessageId: inbound.MessageSid })).toBe(1);
    });

    it('routes each message to the session of the number or Messaging Service that received it, and refuses an unknown number', async () => {
      await webhook('quicklearning', { ...inbound, MessageSid: 'SMsupport', To: 'whatsapp:+14155230000' }).expect(200);
      await webhook('quicklearning', { ...inbound, MessageSid: 'SMcampaign', To: 'whatsapp:+14155239999', MessagingServiceSid: `MG${'ab'.repeat(16)}` }).expect(
        200,
      );
      await webhook('quicklearning', { ...inbound, MessageSid: 'SMdefault', To: QL.from }).expect(200);

      const sessionOf = async (sid: string) => (await messages('quicklearning').find({ providerMessageId: sid }).toArray()).map((m) => m.session.name);
      expect(await sessionOf('SMsupport')).toEqual(['support']);
      expect(await sessionOf('SMcampaign')).toEqual(['campaigns']);
      expect(await sessionOf('SMdefault')).toEqual(['main']);

      const unknown = await webhook('quicklearning', { ...inbound, MessageSid: 'SMnobody', To: 'whatsapp:+14155231111' }).expect(404);
      expect(unknown.body).toEqual({ statusCode: 404, code: 'SESSION_NOT_FOUND', message: expect.stringContaining('+14155231111') });
      expect(await messages('quicklearning').countDocuments({ providerMessageId: 'SMnobody' })).toBe(0);
    });

    it('acknowledges status callbacks, including ones Twilio posts before sending', async () => {
      const base = { MessageSid: 'SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', AccountSid: QL.accountSid, From: QL.from, To: 'whatsapp:+525512345678' };

      await webhook('quicklearning', { ...base, MessageStatus: 'delivered' }).expect(200);
      await webhook('quicklearning', { ...base, MessageStatus: 'undelivered', ErrorCode: '63016', ErrorMessage: 'Outside the allowed window' }).expect(200);
      await webhook('quicklearning', { ...base, MessageStatus: 'queued' }).expect(200);
    });

    it('answers 403 FORBIDDEN, the same way, to a bad or missing signature, another company or an unknown one', async () => {
      const quicklearningSignatureFor = (company: string) => getExpectedTwilioSignature(QL.authToken, `${PUBLIC_BASE_URL}/webhooks/twilio/${company}`, inbound);
      const tampered = { ...inbound, MessageSid: 'SMtampered', Body: 'tampered' };

      const refusals = [
        await webhook('quicklearning', inbound, 'bm90IGEgc2lnbmF0dXJl'),
        await webhook('quicklearning', tampered, quicklearningSignatureFor('quicklearning')),
        await t.http().post('/webhooks/twilio/quicklearning').type('form').send(inbound),
        await webhook('simple-green', inbound, quicklearningSignatureFor('simple-green')),
        await webhook('diocsa', inbound, quicklearningSignatureFor('diocsa')),
        await webhook('nope', inbound, quicklearningSignatureFor('nope')),
        await webhook('constructor', inbound, quicklearningSignatureFor('constructor')),
      ];

      const bodies = refusals.map((r) => ({ status: r.status, body: r.body as unknown }));
      expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
      expect(bodies[0]).toEqual({ status: 403, body: { statusCode: 403, code: 'FORBIDDEN', message: expect.any(String) } });
      expect(await messages('quicklearning').countDocuments({ providerMessageId: 'SMtampered' })).toBe(0);
      expect(await messages('simple-green').countDocuments({})).toBe(0);
    });

    it('answers 400 VALIDATION_FAILED to a signed message without MessageSid', async () => {
      const { MessageSid: _omitted, ...withoutSid } = inbound;

      const response = await webhook('quicklearning', withoutSid).expect(400);

      expect(response.body).toEqual({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringContaining('MessageSid') });
    });

    it('keeps a message stored with no session running across a restart', async () => {
      await webhook('quicklearning', { ...inbound, MessageSid: 'SMbefore-restart' }).expect(200);
      await t.close({ keepDatabases: true });
      t = await startTestApp(
        { TWILIO_ACCOUNTS: JSON.stringify({ quicklearning: QL, 'simple-green': SG }), TWILIO_API_BASE_URL: twilioBaseUrl, PUBLIC_BASE_URL },
        t.run,
      );
      adapter = t.app.get(TwilioAdapter);

      expect(await messages('quicklearning').countDocuments({ providerMessageId: 'SMbefore-restart' })).toBe(1);
      const chats = await t.admin('get', '/api/v1/companies/quicklearning/sessions/main/chats').expect(200);
      expect(chats.body.items.map((chat: { phone: string }) => chat.phone)).toEqual(['+525512345678']);
    });

    it('answers 503 with Retry-After when the message cannot be stored in time, so Twilio delivers it again', async () => {
      const unreachable = await startTestApp({
        TWILIO_ACCOUNTS: JSON.stringify({ quicklearning: QL }),
        TWILIO_API_BASE_URL: twilioBaseUrl,
        PUBLIC_BASE_URL,
        QUICKLEARNING_MONGODB_URI: 'mongodb://127.0.0.1:9/',
        MONGO_SERVER_SELECTION_TIMEOUT_MS: '300',
        INGEST_ACK_TIMEOUT_MS: '300',
        INGEST_SHUTDOWN_DRAIN_MS: '0',
      });
      try {
        await unreachable.admin('post', '/api/v1/companies/quicklearning/sessions').send({ name: 'main' }).expect(201);
        const refused = await webhook('quicklearning', { ...inbound, MessageSid: 'SMunreachable' }, undefined, unreachable).expect(503);
        expect(refused.body).toEqual({ statusCode: 503, code: 'INGEST_UNAVAILABLE', message: expect.any(String) });
        expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      } finally {
        await unreachable.close();
      }
    });
  });
});
