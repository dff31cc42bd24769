import { createHash, randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptedStream, type proto, type WAMessage } from '@whiskeysockets/baileys';
import type request from 'supertest';
import type { BaileysClient } from '../src/providers/baileys/baileys.client';
import { LidMappingsRepository } from '../src/conversations/lid-mappings.repository';
import { SessionManager } from '../src/sessions/session-manager.service';
import { CompaniesService } from '../src/tenancy/companies.service';
import { TenantConnectionPool } from '../src/tenancy/tenant-connection-pool.service';
import { FakeWhatsApp } from './support/fake-whatsapp';
import { startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

/** Stands in for WhatsApp's media servers (mmg.whatsapp.net): serves encrypted files by path, records every request. */
class MediaServer {
  readonly requests: IncomingMessage[] = [];
  private readonly files = new Map<string, Buffer>();
  private readonly http: Server = createServer((req, res) => {
    this.requests.push(req);
    const file = this.files.get(req.url ?? '');
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': file.length }).end(file);
  });

  serve(path: string, file: Buffer): void {
    this.files.set(path, file);
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise((resolve) => this.http.close(resolve));
  }
}

const sha256 = (data: Buffer | Uint8Array) => createHash('sha256').update(data).digest('hex');
const base = '/api/v1/companies/acme/sessions/ventas';

describe('baileys conversations: inbound media (real Baileys media crypto) and LIDs, with local stand-ins for WhatsApp', () => {
  // Never answers the upgrade, so the socket stays connecting.
  const whatsapp = new FakeWhatsApp();
  whatsapp.mode = 'stall';
  const mediaServer = new MediaServer();
  const elsewhere = new MediaServer();
  let t: TestApp;
  let ev: NonNullable<ReturnType<BaileysClient['socketEventsForTest']>>;
  let elsewhereOrigin: string;

  /** A media message as WhatsApp delivers it: the file encrypted by Baileys' own helper, uploaded to the media server. */
  async function upload(plain: Buffer, type: 'image' | 'audio' | 'document', path: string) {
    const encrypted = await encryptedStream(plain, type);
    let file: Buffer;
    try {
      file = await readFile(encrypted.encFilePath);
    } finally {
      await rm(encrypted.encFilePath, { force: true });
    }
    mediaServer.serve(path, file);
    const fields = {
      directPath: path,
      mediaKey: encrypted.mediaKey,
      fileEncSha256: encrypted.fileEncSha256,
      fileSha256: encrypted.fileSha256,
      fileLength: encrypted.fileLength,
    };
    return { fields, file };
  }

  const upsert = (id: string, content: proto.IMessage) =>
    ev.emit('messages.upsert', {
      type: 'notify',
      messages: [
        {
          key: { id, remoteJid: '5215512345678@s.whatsapp.net', fromMe: false },
          message: content,
          messageTimestamp: 1_700_000_000,
          pushName: 'Ana',
        } as WAMessage,
      ],
    });

  async function stored(providerMessageId: string): Promise<{ id: string; media: Record<string, unknown> }> {
    let found: { id: string; media: Record<string, unknown> } | undefined;
    await until(
      async () => {
        const { body } = await t.admin('get', `${base}/chats/${encodeURIComponent('+5215512345678')}/messages?limit=50`).expect(200);
        found = (body.items as Array<{ id: string; providerMessageId: string; media: Record<string, unknown> }>).find(
          (m) => m.providerMessageId === providerMessageId,
        );
        return found !== undefined && found.media.status !== 'pending';
      },
      { what: `${providerMessageId} media settled` },
    );
    return found!;
  }

  beforeAll(async () => {
    const wsUrl = await whatsapp.listen();
    t = await startTestApp({ BAILEYS_WS_URL: wsUrl, BAILEYS_MEDIA_ORIGIN: await mediaServer.listen(), MEDIA_ALLOW_PRIVATE: 'true', MEDIA_RETRY_BASE_MS: '20' });
    elsewhereOrigin = await elsewhere.listen();
    await t.admin('post', '/api/v1/companies').send({ slug: 'acme', displayName: 'Acme', provider: 'baileys' }).expect(201);
    await t.admin('post', '/api/v1/companies/acme/sessions').send({ name: 'ventas' }).expect(201);
    await t.admin('post', `${base}/start`).expect(202);
    await until(() => !!(t.app.get(SessionManager).runtime('acme', 'ventas')?.client as BaileysClient | undefined)?.socketEventsForTest(), {
      what: 'a running client',
    });
    ev = (t.app.get(SessionManager).runtime('acme', 'ventas')!.client as BaileysClient).socketEventsForTest()!;
    ev.emit('creds.update', { me: { id: '5215500000009:2@s.whatsapp.net' } });
    ev.emit('connection.update', { connection: 'open' });
  });
  afterAll(async () => {
    try {
      await t?.admin('post', `${base}/stop`);
      await t?.close();
    } finally {
      await Promise.all([whatsapp.close(), mediaServer.close(), elsewhere.close()]);
    }
  });

  it('decrypts and stores an image, a voice note and a document, serving the very bytes back', async () => {
    const image = randomBytes(180_000);
    const voice = randomBytes(30_000);
    const pdf = randomBytes(60_000);
    const img = (await upload(image, 'image', '/v/t62.7118-24/img.enc?ccb=11-4&oh=abc')).fields;
    const aud = (await upload(voice, 'audio', '/v/t62.7117-24/ptt.enc')).fields;
    const doc = (await upload(pdf, 'document', '/v/t62.7119-24/doc.enc')).fields;
    // The message names another host in `url`: only WhatsApp's media origin is ever contacted, by path.
    upsert('BM1', { imageMessage: { ...img, url: `${elsewhereOrigin}/steal`, mimetype: 'image/jpeg', caption: 'mi credencial' } });
    upsert('BM2', { audioMessage: { ...aud, ptt: true, mimetype: 'audio/ogg; codecs=opus' } });
    upsert('BM3', { documentMessage: { ...doc, mimetype: 'application/pdf', fileName: 'estado de cuenta.pdf' } });

    for (const [id, plain, expected] of [
      ['BM1', image, { type: 'image', mimeType: 'image/jpeg', caption: 'mi credencial' }],
      ['BM2', voice, { type: 'voice', mimeType: 'audio/ogg; codecs=opus' }],
      ['BM3', pdf, { type: 'document', mimeType: 'application/pdf', fileName: 'estado de cuenta.pdf' }],
    ] as const) {
      const message = await stored(id);
      expect(message.media).toEqual({ ...expected, size: plain.length, status: 'stored', sha256: sha256(plain) });
      const served = await t.admin('get', `${base}/messages/${message.id}/media`).buffer(true).parse(binary).expect(200);
      expect(sha256(served.body as Buffer)).toBe(sha256(plain));
    }
    expect(elsewhere.requests).toHaveLength(0);
    expect(mediaServer.requests.map((r) => r.headers.origin)).toEqual(expect.arrayContaining(['https://web.whatsapp.com']));
  });

  it('files a contact WhatsApp names only by LID under the phone behind it, learnt now or kept from before', async () => {
    const company = await t.app.get(CompaniesService).get('acme');
    const tenant = t.app.get(TenantConnectionPool).contextFor(company);
    const lids = t.app.get(LidMappingsRepository);
    await lids.save(tenant, [{ lid: '888000222@lid', phone: '+5215566667777' }]);
    const text = (id: string, remoteJid: string) =>
      ({ key: { id, remoteJid, fromMe: false }, message: { conversation: id }, messageTimestamp: 1_700_000_000 }) as WAMessage;
    ev.emit('lid-mapping.update', { lid: '777000111:3@lid', pn: '5215544443333@s.whatsapp.net' });
    ev.emit('messages.upsert', { type: 'notify', messages: [text('LID1', '777000111@lid'), text('LID2', '888000222@lid')] });
    ev.emit('messages.upsert', { type: 'notify', messages: [text('LID3', '999000333@lid')] });
    const record = (id: string) => tenant.run((db) => db.collection('messages').findOne({ providerMessageId: id }));
    await until(async () => (await record('LID3')) !== null, { what: 'the messages stored' });
    expect(await record('LID1')).toMatchObject({ from: '+5215544443333', phone: '+525544443333' });
    expect(await record('LID2')).toMatchObject({ from: '+5215566667777', phone: '+525566667777' });
    expect(await record('LID3')).toMatchObject({ from: '999000333@lid', phone: '999000333@lid' });
    await until(async () => (await lids.phoneOf(tenant, '777000111@lid')) === '+5215544443333', { what: 'the mapping kept for the company' });
  });

  it('fails a media file whose MAC does not match (tampered in transit) at once, keeping the message', async () => {
    const { fields, file } = await upload(randomBytes(2_000), 'image', '/v/t62/tampered.enc');
    file[5] ^= 0xff;
    upsert('BM4', { imageMessage: { ...fields, fileEncSha256: undefined, mimetype: 'image/jpeg', caption: 'alterada' } });
    const message = await stored('BM4');
    expect(message.media).toMatchObject({ status: 'failed', reason: 'media MAC does not match' });
    expect(mediaServer.requests.filter((r) => r.url === '/v/t62/tampered.enc')).toHaveLength(1);
  });
});

const binary = ((response: NodeJS.ReadableStream, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
}) as unknown as Parameters<request.Test['parse']>[0];
