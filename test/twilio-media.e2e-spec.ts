import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type request from 'supertest';
import { getExpectedTwilioSignature } from 'twilio';
import { FakeTwilioApi } from './support/fake-twilio-api';
import { startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

const QL = { accountSid: `AC${'0123456789abcdef'.repeat(2)}`, authToken: 'ql-auth-token-0123456789abcdef', from: 'whatsapp:+14155238886' };
const PUBLIC_BASE_URL = 'https://vv.example.com';
const base = '/api/v1/companies/quicklearning/sessions/main';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Twilio's CDN, where the API redirects a media request to a signed URL: it must never see the account's credentials. */
class Cdn {
  readonly seen: IncomingHttpHeaders[] = [];
  readonly files = new Map<string, Buffer>();
  private readonly http: Server = createServer((req, res) => {
    this.seen.push(req.headers);
    const file = this.files.get(req.url ?? '');
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'audio/ogg' }).end(file);
  });

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise((resolve) => this.http.close(resolve));
  }
}

describe('Twilio inbound media (SDK credentials against a local stand-in for Twilio)', () => {
  const twilioApi = new FakeTwilioApi();
  const cdn = new Cdn();
  let cdnOrigin: string;
  let t: TestApp;

  beforeAll(async () => {
    const twilioBaseUrl = await twilioApi.start();
    cdnOrigin = await cdn.listen();
    t = await startTestApp({
      TWILIO_ACCOUNTS: JSON.stringify({ quicklearning: QL }),
      TWILIO_API_BASE_URL: twilioBaseUrl,
      PUBLIC_BASE_URL,
      MEDIA_ALLOW_PRIVATE: 'true',
      MEDIA_RETRY_BASE_MS: '20',
    });
    await t.admin('post', '/api/v1/companies/quicklearning/sessions').send({ name: 'main' }).expect(201);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([twilioApi.stop(), cdn.close()]);
  });

  function webhook(params: Record<string, string>) {
    const path = '/webhooks/twilio/quicklearning';
    return t
      .http()
      .post(path)
      .type('form')
      .set('X-Twilio-Signature', getExpectedTwilioSignature(QL.authToken, `${PUBLIC_BASE_URL}${path}`, params))
      .send(params);
  }

  const inbound = (sid: string, mediaPath: string, contentType: string, body = '') => ({
    MessageSid: sid,
    AccountSid: QL.accountSid,
    From: 'whatsapp:+5215512345678',
    To: QL.from,
    Body: body,
    NumMedia: '1',
    MediaUrl0: `https://api.twilio.com${mediaPath}`,
    MediaContentType0: contentType,
    SmsStatus: 'received',
  });

  async function settled(providerMessageId: string): Promise<{ id: string; text?: string; media: Record<string, unknown> }> {
    let found: { id: string; text?: string; media: Record<string, unknown> } | undefined;
    await until(
      async () => {
        const { body } = await t.admin('get', `${base}/chats/${encodeURIComponent('+525512345678')}/messages?limit=50`).expect(200);
        found = (body.items as Array<{ id: string; providerMessageId: string; media: Record<string, unknown> }>).find(
          (m) => m.providerMessageId === providerMessageId,
        );
        return found !== undefined && found.media.status !== 'pending';
      },
      { what: `${providerMessageId} media settled` },
    );
    return found!;
  }

  it("fetches MediaUrl with the account's basic auth, once the message is stored, with no session running", async () => {
    const image = randomBytes(120_000);
    const path = `/2010-04-01/Accounts/${QL.accountSid}/Messages/MM${'1'.repeat(32)}/Media/ME${'1'.repeat(32)}`;
    twilioApi.media.set(path, { credentials: `${QL.accountSid}:${QL.authToken}`, data: image, contentType: 'image/jpeg' });
    await webhook(inbound(`SM${'1'.repeat(32)}`, path, 'image/jpeg', 'mi comprobante')).expect(200);

    const message = await settled(`SM${'1'.repeat(32)}`);
    expect(message).toMatchObject({
      text: 'mi comprobante',
      media: { type: 'image', mimeType: 'image/jpeg', caption: 'mi comprobante', status: 'stored', size: image.length, sha256: sha256(image) },
    });
    const served = await t.admin('get', `${base}/messages/${message.id}/media`).buffer(true).parse(binary).expect(200);
    expect(sha256(served.body as Buffer)).toBe(sha256(image));
    const fetches = twilioApi.calls.filter((call) => call.method === 'GET' && call.url === path);
    expect(fetches).toHaveLength(1);
    expect(fetches[0].authorization).toBe(`Basic ${Buffer.from(`${QL.accountSid}:${QL.authToken}`).toString('base64')}`);
  });

  it('follows the redirect to the CDN without the credentials', async () => {
    const voice = randomBytes(20_000);
    const path = `/2010-04-01/Accounts/${QL.accountSid}/Messages/MM${'2'.repeat(32)}/Media/ME${'2'.repeat(32)}`;
    cdn.files.set('/signed/voice.ogg', voice);
    twilioApi.media.set(path, { credentials: `${QL.accountSid}:${QL.authToken}`, redirect: `${cdnOrigin}/signed/voice.ogg` });
    await webhook(inbound(`SM${'2'.repeat(32)}`, path, 'audio/ogg')).expect(200);

    const message = await settled(`SM${'2'.repeat(32)}`);
    expect(message.media).toMatchObject({ type: 'voice', status: 'stored', sha256: sha256(voice) });
    expect(cdn.seen).toHaveLength(1);
    expect(cdn.seen[0].authorization).toBeUndefined();
  });

  it('fails media Twilio refuses (wrong credentials or gone) without losing the message', async () => {
    const path = `/2010-04-01/Accounts/${QL.accountSid}/Messages/MM${'3'.repeat(32)}/Media/ME${'3'.repeat(32)}`;
    twilioApi.media.set(path, { credentials: 'someone:else', data: randomBytes(10) });
    await webhook(inbound(`SM${'3'.repeat(32)}`, path, 'application/pdf', 'adjunto')).expect(200);
    const message = await settled(`SM${'3'.repeat(32)}`);
    expect(message).toMatchObject({ text: 'adjunto', media: { type: 'document', status: 'failed', reason: 'media URL answered 401' } });
    expect((await t.admin('get', `${base}/messages/${message.id}/media`).expect(409)).body).toMatchObject({
      code: 'MEDIA_NOT_AVAILABLE',
      details: { status: 'failed' },
    });
  });
});

const binary = ((response: NodeJS.ReadableStream, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
}) as unknown as Parameters<request.Test['parse']>[0];
