import { randomBytes } from 'node:crypto';
import { OutboundWorker } from '../src/messaging/outbound-worker.service';
import { SimulatorAdapter } from '../src/providers/simulator/simulator.adapter';
import { CompaniesService } from '../src/tenancy/companies.service';
import { TenantConnectionPool } from '../src/tenancy/tenant-connection-pool.service';
import { startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

const CAP = 50_000;
const base = '/api/v1/companies/diocsa/sessions/desk';
const phone = '+5215512345678';
const to = '+525512345678';

describe('outbound media uploaded as multipart (simulator, real database, real HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      SESSIONS_PROVIDER_OVERRIDE: 'simulator',
      SESSIONS_MAX_WHATSAPP_WEB: '10',
      OUTBOUND_POLL_INTERVAL_MS: '50',
      OUTBOUND_MEDIA_MAX_BYTES: String(CAP),
    });
    await t.admin('post', '/api/v1/companies/diocsa/sessions').send({ name: 'desk' }).expect(201);
    await t.admin('post', `${base}/start`).expect(202);
    await t.admin('post', '/simulator/companies/diocsa/sessions/desk/scan').expect(204);
    await until(async () => (await t.admin('get', base)).body.status === 'WORKING', { what: 'session working' });
  });
  afterAll(() => t?.close());

  const upload = () => t.admin('post', `${base}/messages/upload`);
  const settled = async (id: string) => {
    let status = '';
    await until(async () => !['queued', 'sending'].includes((status = (await t.admin('get', `${base}/messages/${id}`)).body.status)), {
      what: `upload ${id} settled`,
    });
    return status;
  };
  const outboxSize = async () =>
    t.app
      .get(TenantConnectionPool)
      .contextFor(await t.app.get(CompaniesService).get('diocsa'))
      .run((db) => db.collection('outbox').countDocuments());

  it('hands the uploaded bytes to the provider port, within the cap', async () => {
    const photo = randomBytes(CAP - 1_000);
    const pdf = randomBytes(8_000);
    const image = await upload()
      .field('to', phone)
      .field('caption', 'Catálogo')
      .attach('file', photo, { filename: 'catalogo.jpg', contentType: 'image/jpeg' })
      .expect(202);
    expect(image.body).toMatchObject({
      status: 'queued',
      kind: 'image',
      mimeType: 'image/jpeg',
      caption: 'Catálogo',
      fileName: 'catalogo.jpg',
      upload: { size: photo.length },
    });
    const doc = await upload().field('to', phone).attach('file', pdf, { filename: 'precios.pdf', contentType: 'application/pdf' }).expect(202);
    expect(doc.body).toMatchObject({ kind: 'document', fileName: 'precios.pdf' });
    expect(await settled(image.body.id)).toBe('sent');
    expect(await settled(doc.body.id)).toBe('sent');

    const sent = t.app.get(SimulatorAdapter).sent.filter((s) => s.company === 'diocsa');
    expect(sent.map(({ message, bytes }) => ({ message, bytes }))).toEqual([
      {
        message: { to, kind: 'image', mimeType: 'image/jpeg', caption: 'Catálogo', fileName: 'catalogo.jpg', file: { data: photo, mimeType: 'image/jpeg' } },
        bytes: photo.length,
      },
      {
        message: { to, kind: 'document', mimeType: 'application/pdf', fileName: 'precios.pdf', file: { data: pdf, mimeType: 'application/pdf' } },
        bytes: pdf.length,
      },
    ]);
    // The bytes stay with the message.
    const stored = await t
      .admin('get', `${base}/messages/${image.body.id}/media`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(stored.status).toBe(200);
    expect(Buffer.compare(stored.body as Buffer, photo)).toBe(0);
  });

  it('answers 413 PAYLOAD_TOO_LARGE beyond the cap and queues nothing', async () => {
    await t.app.get(OutboundWorker).idle();
    const [before, sentBefore] = [await outboxSize(), t.app.get(SimulatorAdapter).sent.length];
    const response = await upload()
      .field('to', phone)
      .attach('file', randomBytes(CAP + 1), { filename: 'big.jpg', contentType: 'image/jpeg' });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) });
    await t.app.get(OutboundWorker).idle();
    expect(await outboxSize()).toBe(before);
    expect(t.app.get(SimulatorAdapter).sent).toHaveLength(sentBefore);
  });

  it('refuses an upload without its file, with unknown fields, or as JSON', async () => {
    expect((await upload().field('to', phone).field('caption', 'x').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await upload().field('to', phone).field('owner', 'me').attach('file', randomBytes(10), 'a.jpg').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await upload().send({ to: phone }).expect(415)).body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const asMultipart = await t.admin('post', `${base}/messages`).field('to', phone).field('text', 'hola');
    expect({ status: asMultipart.status, code: asMultipart.body.code }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });
});
