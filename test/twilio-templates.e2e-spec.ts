import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { getExpectedTwilioSignature } from 'twilio';
import { InboundIntake } from '../src/ingest/inbound-intake.service';
import { CompaniesService } from '../src/tenancy/companies.service';
import { FakeTwilioApi } from './support/fake-twilio-api';
import { startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

const QL = { accountSid: `AC${'0123456789abcdef'.repeat(2)}`, authToken: 'ql-auth-token-0123456789abcdef', from: 'whatsapp:+14155238886' };
const SERVICE = `MG${'ab'.repeat(16)}`;
const PUBLIC_BASE_URL = 'https://vv.example.com';
const company = '/api/v1/companies/quicklearning';
const CONTENT_SID = 'HXb5b62575e6e4ff6129ad7c8efe1f983e';

describe('Twilio templates, Messaging Services and the 24-hour window (SDK against a local stand-in)', () => {
  const twilioApi = new FakeTwilioApi();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      TWILIO_ACCOUNTS: JSON.stringify({ quicklearning: QL }),
      TWILIO_API_BASE_URL: await twilioApi.start(),
      PUBLIC_BASE_URL,
      OUTBOUND_POLL_INTERVAL_MS: '50',
    });
    await t.admin('post', `${company}/sessions`).send({ name: 'main' }).expect(201);
    await t.admin('post', `${company}/sessions`).send({ name: 'campaigns', sender: SERVICE }).expect(201);
    for (const name of ['main', 'campaigns']) {
      await t.admin('post', `${company}/sessions/${name}/start`).expect(202);
      await until(async () => (await t.admin('get', `${company}/sessions/${name}`)).body.status === 'WORKING', { what: `${name} working` });
    }
  });
  afterAll(async () => {
    await t?.close();
    await twilioApi.stop();
  });

  const outboxCount = () => t.app.get<Connection>(getConnectionToken()).useDb(`${t.run}_quicklearning`).collection('outbox').countDocuments();
  const posts = () => twilioApi.calls.filter((call) => call.method === 'POST');

  async function sent(session: string, id: string): Promise<Record<string, string>> {
    await until(async () => (await t.admin('get', `${company}/sessions/${session}/messages/${id}`)).body.status === 'sent', { what: `message ${id} sent` });
    const { providerMessageId } = (await t.admin('get', `${company}/sessions/${session}/messages/${id}`)).body;
    const index = Number(providerMessageId.slice(2)) - 1;
    return Object.fromEntries(posts()[index].form);
  }

  function customerWrites(from: string) {
    const path = '/webhooks/twilio/quicklearning';
    const params = {
      MessageSid: `SM${from.replace(/\D/g, '').padStart(32, '0')}`,
      AccountSid: QL.accountSid,
      From: `whatsapp:${from}`,
      To: QL.from,
      Body: 'hola',
      NumMedia: '0',
      SmsStatus: 'received',
    };
    return t
      .http()
      .post(path)
      .type('form')
      .set('X-Twilio-Signature', getExpectedTwilioSignature(QL.authToken, `${PUBLIC_BASE_URL}${path}`, params))
      .send(params)
      .expect(200);
  }

  it('refuses a free-form message to a customer who never wrote (422 OUTSIDE_SESSION_WINDOW), and sends a template with its variables', async () => {
    const [before, calls] = [await outboxCount(), posts().length];
    const refused = await t.admin('post', `${company}/sessions/main/messages`).send({ to: '+5215511112222', kind: 'text', text: 'Promoción' }).expect(422);
    expect(refused.body).toMatchObject({ code: 'OUTSIDE_SESSION_WINDOW', details: { lastInboundAt: null } });
    expect([await outboxCount(), posts().length]).toEqual([before, calls]);

    const accepted = await t
      .admin('post', `${company}/sessions/main/messages`)
      .send({ to: '+5215511112222', kind: 'template', contentSid: CONTENT_SID, variables: { '1': 'Ana', '2': '12 de junio' } })
      .expect(202);
    expect(accepted.body).toMatchObject({ kind: 'template', contentSid: CONTENT_SID, variables: { '1': 'Ana', '2': '12 de junio' } });
    expect(await sent('main', accepted.body.id)).toEqual({
      From: QL.from,
      To: 'whatsapp:+525511112222',
      ContentSid: CONTENT_SID,
      ContentVariables: '{"1":"Ana","2":"12 de junio"}',
      StatusCallback: `${PUBLIC_BASE_URL}/webhooks/twilio/quicklearning`,
    });
  });

  it('sends free-form once the customer wrote within 24 hours, and refuses it again past them', async () => {
    await customerWrites('+5215533334444');
    await until(
      async () =>
        (await t.admin('get', `${company}/sessions/main/chats`)).body.items.some(
          (chat: { phone: string; lastInboundAt?: string }) => chat.phone === '+525533334444' && chat.lastInboundAt,
        ),
      { what: 'the chat knows the last inbound' },
    );
    const accepted = await t.admin('post', `${company}/sessions/main/messages`).send({ to: '+5215533334444', text: 'Con gusto' }).expect(202);
    expect(await sent('main', accepted.body.id)).toMatchObject({ Body: 'Con gusto' });

    // A customer whose last message is 25 hours old.
    const intake = t.app.get(InboundIntake);
    const record = await t.app.get(CompaniesService).get('quicklearning');
    await intake.store(record, 'main', [
      { providerMessageId: 'SMold', from: '+525555556666', to: '+14155238886', text: 'ayer', timestamp: new Date(Date.now() - 25 * 3_600_000) },
    ]);
    await intake.flushAll();
    const late = await t
      .admin('post', `${company}/sessions/main/messages`)
      .send({ to: '+525555556666', kind: 'location', latitude: 19.4326, longitude: -99.1332 })
      .expect(422);
    expect(late.body.code).toBe('OUTSIDE_SESSION_WINDOW');
    await t.admin('post', `${company}/sessions/main/messages`).send({ to: '+525555556666', kind: 'template', contentSid: CONTENT_SID }).expect(202);
  });

  it('sends from a Messaging Service session by its SID, and a location as a geo persistent action', async () => {
    await customerWrites('+5215577778888');
    await until(
      async () => (await t.admin('get', `${company}/sessions/main/chats`)).body.items.some((chat: { phone: string }) => chat.phone === '+525577778888'),
      { what: 'chat recorded' },
    );
    await t.admin('post', `${company}/sessions/campaigns/messages`).send({ to: '+5215577778888', kind: 'text', text: 'x' }).expect(422);
    const template = await t
      .admin('post', `${company}/sessions/campaigns/messages`)
      .send({ to: '+5215577778888', kind: 'template', contentSid: CONTENT_SID })
      .expect(202);
    expect(await sent('campaigns', template.body.id)).toMatchObject({ MessagingServiceSid: SERVICE, ContentSid: CONTENT_SID });
    expect(await sent('campaigns', template.body.id)).not.toHaveProperty('From');

    const location = await t
      .admin('post', `${company}/sessions/main/messages`)
      .send({ to: '+5215577778888', kind: 'location', latitude: 19.4326, longitude: -99.1332, name: 'Campus Reforma' })
      .expect(202);
    expect(await sent('main', location.body.id)).toMatchObject({ PersistentAction: 'geo:19.4326,-99.1332|Campus Reforma', Body: 'Campus Reforma' });
  });

  it('answers 422 UNSUPPORTED_MESSAGE_KIND for what Twilio cannot send, queueing nothing', async () => {
    await customerWrites('+5215599990000');
    await until(
      async () => (await t.admin('get', `${company}/sessions/main/chats`)).body.items.some((chat: { phone: string }) => chat.phone === '+525599990000'),
      { what: 'chat recorded' },
    );
    const { body: page } = await t.admin('get', `${company}/sessions/main/chats/${encodeURIComponent('+525599990000')}/messages`).expect(200);
    const inboundId = page.items[0].id as string;
    const [before, calls] = [await outboxCount(), posts().length];
    for (const [body, kind] of [
      [{ kind: 'sticker', url: 'https://cdn.example.com/s.webp' }, 'sticker'],
      [{ kind: 'contact', name: 'Laura', phone: '+5215587654321' }, 'contact'],
      [{ kind: 'reaction', messageId: inboundId, emoji: '👍' }, 'reaction'],
      [{ kind: 'text', text: 'respuesta', replyTo: inboundId }, 'reply'],
    ] as const) {
      const refused = await t
        .admin('post', `${company}/sessions/main/messages`)
        .send({ to: '+5215599990000', ...body })
        .expect(422);
      expect(refused.body).toMatchObject({ code: 'UNSUPPORTED_MESSAGE_KIND', details: { kind, provider: 'twilio' } });
    }
    // Twilio fetches media from a URL itself: an uploaded file cannot go.
    const upload = await t
      .admin('post', `${company}/sessions/main/messages/upload`)
      .field('to', '+5215599990000')
      .attach('file', Buffer.from('jpeg'), 'a.jpg')
      .expect(422);
    expect(upload.body).toMatchObject({ code: 'UNSUPPORTED_MESSAGE_KIND', details: { kind: 'upload', provider: 'twilio' } });
    expect([await outboxCount(), posts().length]).toEqual([before, calls]);
  });

  it('answers 422 UNSUPPORTED_OPERATION to read receipts, typing and number checks', async () => {
    for (const [method, path, body] of [
      ['post', '/chats/+525599990000/read', {}],
      ['post', '/chats/+525599990000/typing', {}],
      ['post', '/contacts/check', { numbers: ['+525599990000'] }],
    ] as const) {
      const refused = await t.admin(method, `${company}/sessions/main${path}`).send(body).expect(422);
      expect(refused.body).toMatchObject({ code: 'UNSUPPORTED_OPERATION', details: { provider: 'twilio' } });
    }
  });
});
