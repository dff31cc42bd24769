import { getExpectedTwilioSignature, RestException } from 'twilio';
import type { ProviderEvent } from '../src/providers/provider-events';
import { ProviderOperationUnsupportedError, type ProviderClient } from '../src/providers/provider.port';
import { TwilioInboundRouter } from '../src/providers/twilio/twilio-inbound.router';
import { TwilioAdapter } from '../src/providers/twilio/twilio.adapter';
import { CompaniesService } from '../src/tenancy/companies.service';
import { FakeTwilioApi } from './support/fake-twilio-api';
import { startTestApp, type TestApp } from './support/test-app';

const QL = { accountSid: `AC${'0123456789abcdef'.repeat(2)}`, authToken: 'ql-auth-token-0123456789abcdef', from: 'whatsapp:+14155238886' };
const SG = { accountSid: `AC${'fedcba9876543210'.repeat(2)}`, authToken: 'sg-auth-token-fedcba9876543210', from: 'whatsapp:+14155238887' };
const PUBLIC_BASE_URL = 'https://vv.example.com';

describe('Twilio provider (SDK against a local stand-in for Twilio)', () => {
  const twilioApi = new FakeTwilioApi();
  const running: ProviderClient[] = [];
  let t: TestApp;
  let adapter: TwilioAdapter;

  beforeAll(async () => {
    const apiBaseUrl = await twilioApi.start();
    t = await startTestApp({
      TWILIO_ACCOUNTS: JSON.stringify({ quicklearning: QL, 'simple-green': SG }),
      TWILIO_API_BASE_URL: apiBaseUrl,
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
    const client = adapter.createClient({ company: await t.app.get(CompaniesService).get(company), name: 'main' }, (e) => events.push(e));
    await client.start();
    running.push(client);
    return { client, events };
  }

  function webhook(company: string, params: Record<string, string>, signature?: string) {
    const path = `/webhooks/twilio/${company}`;
    const request = t.http().post(path).type('form');
    const signed = signature ?? getExpectedTwilioSignature(QL.authToken, `${PUBLIC_BASE_URL}${path}`, params);
    return request.set('X-Twilio-Signature', signed).send(params);
  }

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

      const result = await client.send({ to: '+52 55 1234 5678', text: 'Hello from Virtual Voices' });

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

      const result = await client.send({ to: '+14155552671', mediaUrl: 'https://cdn.example.com/brochure.pdf', caption: 'Our brochure' });

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
      const rejected = client.send({ to: '+14155552671', text: 'hi' });
      await expect(rejected).rejects.toBeInstanceOf(RestException);
      await expect(rejected).rejects.toMatchObject({ status: 400, code: 21211 });

      const before = twilioApi.calls.length;
      await expect(client.send({ to: 'not a number', text: 'hi' })).rejects.toMatchObject({ code: 'INVALID_PHONE_NUMBER' });
      expect(twilioApi.calls).toHaveLength(before);
    });

    it('has no pairing codes, and needs a configured account', async () => {
      const { client } = await startClient();
      await expect(client.requestPairingCode('+14155552671')).rejects.toBeInstanceOf(ProviderOperationUnsupportedError);

      const diocsa = await t.app.get(CompaniesService).get('diocsa');
      expect(() => adapter.createClient({ company: diocsa, name: 'main' }, () => undefined)).toThrow(
        expect.objectContaining({ code: 'PROVIDER_NOT_CONFIGURED', message: expect.stringContaining('"diocsa"') }),
      );
    });
  });

  describe('webhook', () => {
    it('turns a signed inbound message into a message event for the running client, answering empty TwiML', async () => {
      const { events } = await startClient();

      const response = await webhook('quicklearning', inbound).expect(200);

      expect(response.headers['content-type']).toMatch(/^text\/xml/);
      expect(response.text).toBe('<Response></Response>');
      expect(events.slice(1)).toEqual([
        {
          type: 'message',
          message: {
            providerMessageId: inbound.MessageSid,
            from: '+525512345678',
            to: '+14155238886',
            text: inbound.Body,
            senderName: 'Ana López',
            timestamp: expect.any(Date),
          },
        },
      ]);
    });

    it('turns status callbacks into status events, undelivered as failed with the reason', async () => {
      const { events } = await startClient();
      const base = { MessageSid: 'SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', AccountSid: QL.accountSid, From: QL.from, To: 'whatsapp:+525512345678' };

      await webhook('quicklearning', { ...base, MessageStatus: 'delivered' }).expect(200);
      await webhook('quicklearning', { ...base, MessageStatus: 'undelivered', ErrorCode: '63016', ErrorMessage: 'Outside the allowed window' }).expect(200);
      await webhook('quicklearning', { ...base, MessageStatus: 'queued' }).expect(200);

      expect(events.slice(1)).toEqual([
        { type: 'status', providerMessageId: base.MessageSid, status: 'delivered', at: expect.any(Date) },
        {
          type: 'status',
          providerMessageId: base.MessageSid,
          status: 'failed',
          reason: 'undelivered (error 63016: Outside the allowed window)',
          at: expect.any(Date),
        },
      ]);
    });

    it('answers 403 FORBIDDEN, the same way, to a bad or missing signature, another company or an unknown one', async () => {
      const { events } = await startClient();
      const router = t.app.get(TwilioInboundRouter);
      const quicklearningSignatureFor = (company: string) =>
        getExpectedTwilioSignature(QL.authToken, `${PUBLIC_BASE_URL}/webhooks/twilio/${company}`, inbound);

      const refusals = [
        await webhook('quicklearning', inbound, 'bm90IGEgc2lnbmF0dXJl'),
        await webhook('quicklearning', { ...inbound, Body: 'tampered' }, quicklearningSignatureFor('quicklearning')),
        await t.http().post('/webhooks/twilio/quicklearning').type('form').send(inbound),
        await webhook('simple-green', inbound, quicklearningSignatureFor('simple-green')),
        await webhook('diocsa', inbound, quicklearningSignatureFor('diocsa')),
        await webhook('nope', inbound, quicklearningSignatureFor('nope')),
        await webhook('constructor', inbound, quicklearningSignatureFor('constructor')),
      ];

      const bodies = refusals.map((r) => ({ status: r.status, body: r.body as unknown }));
      expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
      expect(bodies[0]).toEqual({ status: 403, body: { statusCode: 403, code: 'FORBIDDEN', message: expect.any(String) } });
      expect(events).toHaveLength(1);
      expect(router.backlogSize('simple-green')).toBe(0);

      const sgSigned = getExpectedTwilioSignature(SG.authToken, `${PUBLIC_BASE_URL}/webhooks/twilio/simple-green`, inbound);
      await webhook('simple-green', inbound, sgSigned).expect(200);
      expect(router.backlogSize('simple-green')).toBe(1);
    });

    it('answers 400 VALIDATION_FAILED to a signed message without MessageSid', async () => {
      const { events } = await startClient();
      const { MessageSid: _omitted, ...withoutSid } = inbound;

      const response = await webhook('quicklearning', withoutSid).expect(400);

      expect(response.body).toEqual({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringContaining('MessageSid') });
      expect(events).toHaveLength(1);
    });

    it('keeps events that arrive before any client runs, and delivers them in order once one starts', async () => {
      const router = t.app.get(TwilioInboundRouter);
      const status = { MessageSid: 'SMcccccccccccccccccccccccccccccccc', AccountSid: QL.accountSid, From: QL.from, To: 'whatsapp:+525512345678', MessageStatus: 'read' };
      expect(router.backlogSize('quicklearning')).toBe(0);

      await webhook('quicklearning', { ...inbound, MessageSid: 'SMdddddddddddddddddddddddddddddddd' }).expect(200);
      await webhook('quicklearning', status).expect(200);
      expect(router.backlogSize('quicklearning')).toBe(2);

      const { events } = await startClient();

      expect(events.map((e) => e.type)).toEqual(['ready', 'message', 'status']);
      expect(events[1]).toMatchObject({ message: { providerMessageId: 'SMdddddddddddddddddddddddddddddddd' } });
      expect(events[2]).toMatchObject({ providerMessageId: status.MessageSid, status: 'read' });
      expect(router.backlogSize('quicklearning')).toBe(0);
    });

    it('stops routing to a client after logout, which reports logged-out', async () => {
      const router = t.app.get(TwilioInboundRouter);
      const { client, events } = await startClient();

      await client.logout();
      await webhook('quicklearning', { ...inbound, MessageSid: 'SMeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee' }).expect(200);

      expect(events.map((e) => e.type)).toEqual(['ready', 'logged-out']);
      expect(router.backlogSize('quicklearning')).toBe(1);
      const { events: next } = await startClient();
      expect(next.map((e) => e.type)).toEqual(['ready', 'message']);
    });
  });
});
