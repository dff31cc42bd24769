import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimulatorAdapter } from '../src/providers/simulator/simulator.adapter';
import { startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

const ENV = { SESSIONS_PROVIDER_OVERRIDE: 'simulator', SESSIONS_MAX_WHATSAPP_WEB: '10', OUTBOUND_POLL_INTERVAL_MS: '50', OUTBOUND_RETRY_BASE_MS: '50' };
const base = '/api/v1/companies/diocsa/sessions/desk';
const phone = '+5215512345678';
/** The same number as the chat and the port know it (E.164, without Mexico's legacy mobile 1). */
const to = '+525512345678';

/** A file server standing in for where customers' media lives. */
class Files {
  private readonly http: Server = createServer((req, res) => {
    const file = this.files.get(req.url ?? '');
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': file.type }).end(file.data);
  });
  private readonly files = new Map<string, { type: string; data: Buffer }>();
  origin = '';

  add(path: string, type: string, size: number): string {
    this.files.set(path, { type, data: randomBytes(size) });
    return `${this.origin}${path}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise((resolve) => this.http.close(resolve));
  }
}

async function workingSession(t: TestApp): Promise<void> {
  await t.admin('post', '/api/v1/companies/diocsa/sessions').send({ name: 'desk' }).expect(201);
  await t.admin('post', `${base}/start`).expect(202);
  await t.admin('post', '/simulator/companies/diocsa/sessions/desk/scan').expect(204);
  await until(async () => (await t.admin('get', base)).body.status === 'WORKING', { what: 'session working' });
}

async function settled(t: TestApp, id: string): Promise<{ status: string; reason?: string; attempts: number; providerMessageId?: string }> {
  let body: { status: string; reason?: string; attempts: number } | undefined;
  await until(
    async () => {
      body = (await t.admin('get', `${base}/messages/${id}`).expect(200)).body;
      return !['queued', 'sending'].includes(body!.status);
    },
    { what: `outbound ${id} settled` },
  );
  return body!;
}

describe('outbound message kinds (simulator, real database, real HTTP)', () => {
  const files = new Files();
  let t: TestApp;
  let inboundId: string;

  beforeAll(async () => {
    await files.listen();
    t = await startTestApp({ ...ENV, OUTBOUND_MEDIA_ALLOW_PRIVATE: 'true', OUTBOUND_MEDIA_MAX_BYTES: '50000' });
    await workingSession(t);
    await t
      .admin('post', '/simulator/companies/diocsa/sessions/desk/inbound')
      .send({ messages: [{ providerMessageId: 'IN-1', from: phone, text: '¿tienen catálogo?' }] })
      .expect(200);
    await until(async () => (await t.admin('get', `${base}/chats/${encodeURIComponent(phone)}/messages`)).body.items.length === 1, {
      what: 'the inbound message listed',
    });
    inboundId = (await t.admin('get', `${base}/chats/${encodeURIComponent(phone)}/messages`)).body.items[0].id;
  });
  afterAll(async () => {
    await t?.close();
    await files.close();
  });

  it('hands every kind to the provider port in its own shape, media fetched within the limits', async () => {
    const urls = {
      image: files.add('/catalogo.jpg', 'image/jpeg', 20_000),
      video: files.add('/demo.mp4', 'video/mp4', 30_000),
      audio: files.add('/jingle.mp3', 'audio/mpeg', 10_000),
      voice: files.add('/nota.ogg', 'audio/ogg', 5_000),
      document: files.add('/precios.pdf', 'application/pdf', 8_000),
      sticker: files.add('/gracias.webp', 'image/webp', 3_000),
    };
    const bodies = [
      { kind: 'text', text: 'Claro, aquí va', replyTo: inboundId },
      { kind: 'image', url: urls.image, caption: 'Catálogo' },
      { kind: 'video', url: urls.video, caption: 'Demo' },
      { kind: 'audio', url: urls.audio },
      { kind: 'voice', url: urls.voice },
      { kind: 'document', url: urls.document, fileName: 'precios 2025.pdf', caption: 'Lista' },
      { kind: 'sticker', url: urls.sticker },
      { kind: 'location', latitude: 19.4326, longitude: -99.1332, name: 'Sucursal Centro', address: 'Av. Juárez 10' },
      { kind: 'contact', name: 'Laura Méndez', phone: '+5215587654321' },
      { kind: 'reaction', messageId: inboundId, emoji: '👍' },
    ];
    const ids: string[] = [];
    for (const body of bodies)
      ids.push(
        (
          await t
            .admin('post', `${base}/messages`)
            .send({ to: phone, ...body })
            .expect(202)
        ).body.id,
      );
    for (const id of ids) expect((await settled(t, id)).status).toBe('sent');

    const simulator = t.app.get(SimulatorAdapter);
    const sent = simulator.sent.filter((s) => s.company === 'diocsa');
    const quoted = { providerMessageId: 'IN-1', fromMe: false, text: '¿tienen catálogo?' };
    expect(sent.map((s) => s.message)).toEqual([
      { to, kind: 'text', text: 'Claro, aquí va', replyTo: quoted },
      { to, kind: 'image', url: urls.image, caption: 'Catálogo' },
      { to, kind: 'video', url: urls.video, caption: 'Demo' },
      { to, kind: 'audio', url: urls.audio },
      { to, kind: 'voice', url: urls.voice },
      { to, kind: 'document', url: urls.document, fileName: 'precios 2025.pdf', caption: 'Lista' },
      { to, kind: 'sticker', url: urls.sticker },
      { to, kind: 'location', latitude: 19.4326, longitude: -99.1332, name: 'Sucursal Centro', address: 'Av. Juárez 10' },
      { to, kind: 'contact', name: 'Laura Méndez', phone: '+5215587654321' },
      { to, kind: 'reaction', emoji: '👍', target: quoted },
    ]);
    expect(sent.map((s) => s.bytes)).toEqual([undefined, 20_000, 30_000, 10_000, 5_000, 8_000, 3_000, undefined, undefined, undefined]);

    // The conversation keeps what was sent; `message.sent` carries the media metadata.
    await until(async () => (await t.admin('get', `${base}/chats/${encodeURIComponent(to)}/messages?limit=50`)).body.items.length === 11, {
      what: 'sent messages recorded',
    });
    const items = (await t.admin('get', `${base}/chats/${encodeURIComponent(to)}/messages?limit=50`)).body.items as Array<Record<string, unknown>>;
    const record = (id: string) => items.find((item) => item.providerMessageId === id)!;
    expect(record(sent[0].providerMessageId)).toMatchObject({ direction: 'outbound', text: 'Claro, aquí va', quotedProviderMessageId: 'IN-1' });
    expect(record(sent[5].providerMessageId)).toMatchObject({
      text: 'Lista',
      media: { type: 'document', mimeType: 'application/pdf', fileName: 'precios 2025.pdf', caption: 'Lista', url: urls.document },
    });
    expect(record(sent[7].providerMessageId)).toMatchObject({ location: { latitude: 19.4326, longitude: -99.1332 } });
    expect(record(sent[9].providerMessageId)).toMatchObject({ reaction: { emoji: '👍', providerMessageId: 'IN-1' } });
    const events = (await t.admin('get', '/api/v1/companies/diocsa/events?after=0&limit=1000').expect(200)).body.events as Array<{
      type: string;
      data: Record<string, unknown>;
    }>;
    expect(events.find((e) => e.type === 'message.sent' && e.data.providerMessageId === sent[4].providerMessageId)?.data.media).toEqual({
      type: 'voice',
      mimeType: 'audio/ogg',
      url: urls.voice,
    });
  });

  it('documents one body per kind in the OpenAPI, told apart by kind', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const body = doc.paths['/api/v1/companies/{company}/sessions/{session}/messages'].post.requestBody.content['application/json'].schema;
    expect(body.discriminator.propertyName).toBe('kind');
    expect(Object.keys(body.discriminator.mapping)).toEqual([
      'text',
      'image',
      'video',
      'audio',
      'voice',
      'document',
      'sticker',
      'location',
      'contact',
      'reaction',
      'template',
    ]);
    expect(body.oneOf).toHaveLength(11);
    expect(doc.components.schemas.VoiceMessageDto.properties.kind.enum).toEqual(['voice']);
    expect(doc.components.schemas.LocationMessageDto.required).toEqual(expect.arrayContaining(['to', 'kind', 'latitude', 'longitude']));
    expect(doc.paths['/api/v1/companies/{company}/sessions/{session}/messages/{id}/media'].get).toBeDefined();
    expect(doc.paths['/api/v1/companies/{company}/sessions/{session}/contacts/check'].post).toBeDefined();
  });

  it('fails media over the size limit for good, without it reaching the provider', async () => {
    const before = t.app.get(SimulatorAdapter).sent.length;
    const url = files.add('/enorme.pdf', 'application/pdf', 60_000);
    const { body } = await t.admin('post', `${base}/messages`).send({ to: phone, kind: 'document', url }).expect(202);
    expect(await settled(t, body.id)).toMatchObject({ status: 'failed', attempts: 1, reason: expect.stringMatching(/^media too large: .*50000/) });
    expect(t.app.get(SimulatorAdapter).sent).toHaveLength(before);
  });

  it('refuses a reply or reaction to a message not in the chat, and malformed kinds, queueing nothing', async () => {
    const other = await t.admin('post', `${base}/messages`).send({ to: '+5215599999999', text: 'x', kind: 'text', replyTo: inboundId }).expect(422);
    expect(other.body.code).toBe('QUOTED_MESSAGE_NOT_FOUND');
    expect(
      (
        await t
          .admin('post', `${base}/messages`)
          .send({ to: phone, kind: 'reaction', messageId: randomBytes(12).toString('hex'), emoji: '👍' })
          .expect(422)
      ).body.code,
    ).toBe('QUOTED_MESSAGE_NOT_FOUND');
    for (const body of [
      { kind: 'gif', url: 'https://x/y.gif' },
      { kind: 'image' },
      { kind: 'image', url: 'https://x/y.jpg', text: 'not a field of images' },
      { kind: 'location', latitude: 91, longitude: 0 },
      { kind: 'template', contentSid: 'nope' },
    ]) {
      expect(
        (
          await t
            .admin('post', `${base}/messages`)
            .send({ to: phone, ...body })
            .expect(400)
        ).body.code,
      ).toBe('VALIDATION_FAILED');
    }
  });
});

describe('outbound media URLs naming private addresses (SSRF guard on)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(ENV);
    await workingSession(t);
  });
  afterAll(() => t?.close());

  it('answers 422 MEDIA_URL_REFUSED before queueing anything', async () => {
    for (const url of [
      'http://127.0.0.1:8080/a.jpg',
      'http://169.254.169.254/latest/meta-data/x.jpg',
      'http://localhost/a.jpg',
      'http://[::1]/a.jpg',
      'http://10.0.0.7/a.pdf',
    ]) {
      const { body } = await t.admin('post', `${base}/messages`).send({ to: phone, kind: 'image', url }).expect(422);
      expect(body.code).toBe('MEDIA_URL_REFUSED');
    }
    expect((await t.admin('post', `${base}/messages`).send({ to: phone, mediaUrl: 'http://192.168.1.1/x.pdf' }).expect(422)).body.code).toBe(
      'MEDIA_URL_REFUSED',
    );
    expect(t.app.get(SimulatorAdapter).sent).toHaveLength(0);
  });
});
