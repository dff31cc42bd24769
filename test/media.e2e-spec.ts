import { createHash, randomBytes } from 'node:crypto';
import type request from 'supertest';
import { InboundIntake } from '../src/ingest/inbound-intake.service';
import { SimulatorAdapter } from '../src/providers/simulator/simulator.adapter';
import { CompaniesService } from '../src/tenancy/companies.service';
import { startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

const ENV = {
  SESSIONS_PROVIDER_OVERRIDE: 'simulator',
  SESSIONS_MAX_WHATSAPP_WEB: '10',
  MEDIA_MAX_BYTES: '300000',
  MEDIA_RETRY_BASE_MS: '20',
  MEDIA_DOWNLOAD_ATTEMPTS: '3',
  MEDIA_SWEEP_INTERVAL_MS: '200',
  MEDIA_SEGMENT_MB: '1',
};
const base = (company: string, session = 'desk') => `/api/v1/companies/${company}/sessions/${session}`;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

interface Listed {
  id: string;
  providerMessageId: string;
  text?: string;
  media?: { type: string; mimeType: string; size?: number; caption?: string; fileName?: string; status?: string; sha256?: string; reason?: string };
}

describe('inbound media (simulator, real database, real HTTP)', () => {
  let t: TestApp;

  async function workingSession(app: TestApp, company: string): Promise<void> {
    await app.admin('post', '/api/v1/companies').send({ slug: company, displayName: company, provider: 'whatsapp-web' }).expect(201);
    await app.admin('post', `/api/v1/companies/${company}/sessions`).send({ name: 'desk' }).expect(201);
    await app.admin('post', `${base(company)}/start`).expect(202);
    await app.admin('post', `/simulator/companies/${company}/sessions/desk/scan`).expect(204);
    await until(async () => (await app.admin('get', base(company))).body.status === 'WORKING', { what: `${company} working` });
  }

  function deliver(app: TestApp, company: string, from: string, messages: Array<{ id: string; text?: string; media?: Record<string, unknown> }>) {
    return app
      .admin('post', `/simulator/companies/${company}/sessions/desk/inbound`)
      .send({ messages: messages.map(({ id, ...rest }) => ({ providerMessageId: id, from, ...rest })) })
      .expect(200);
  }

  async function listed(app: TestApp, company: string, phone: string, providerMessageId: string): Promise<Listed> {
    const { body } = await app.admin('get', `${base(company)}/chats/${encodeURIComponent(phone)}/messages?limit=100`).expect(200);
    const found = (body.items as Listed[]).find((item) => item.providerMessageId === providerMessageId);
    if (!found) throw new Error(`${providerMessageId} not listed`);
    return found;
  }

  async function settled(app: TestApp, company: string, phone: string, providerMessageId: string): Promise<Listed> {
    let message: Listed | undefined;
    await until(
      async () => {
        message = await listed(app, company, phone, providerMessageId);
        return message.media?.status !== 'pending';
      },
      { what: `${providerMessageId} media settled` },
    );
    return message!;
  }

  const media = (type: string, mimeType: string, data: Buffer, extra: Record<string, string> = {}) => ({
    type,
    mimeType,
    dataBase64: data.toString('base64'),
    ...extra,
  });

  beforeAll(async () => {
    t = await startTestApp(ENV);
    await workingSession(t, 'acme');
    await workingSession(t, 'rival');
  });
  afterAll(() => t?.close());

  it('downloads an inbound image, voice note and document after storing them, and serves the same bytes back', async () => {
    const phone = '+525511110001';
    const files = {
      IMG1: { data: randomBytes(150_000), type: 'image', mimeType: 'image/jpeg', extra: { caption: 'la factura' } },
      AUD1: { data: randomBytes(40_000), type: 'voice', mimeType: 'audio/ogg; codecs=opus', extra: {} },
      DOC1: { data: randomBytes(70_000), type: 'document', mimeType: 'application/pdf', extra: { fileName: 'contrato.pdf' } },
    };
    await deliver(
      t,
      'acme',
      phone,
      Object.entries(files).map(([id, f]) => ({ id, ...(id === 'IMG1' ? { text: 'la factura' } : {}), media: media(f.type, f.mimeType, f.data, f.extra) })),
    );

    for (const [id, file] of Object.entries(files)) {
      const message = await settled(t, 'acme', phone, id);
      expect(message.media).toEqual({
        type: file.type,
        mimeType: file.mimeType,
        size: file.data.length,
        status: 'stored',
        sha256: sha256(file.data),
        ...file.extra,
      });
      const served = await t
        .admin('get', `${base('acme')}/messages/${message.id}/media`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(sha256(served.body as Buffer)).toBe(sha256(file.data));
      expect(served.headers['content-type']).toContain(file.mimeType.split(';')[0]);
      expect(Number(served.headers['content-length'])).toBe(file.data.length);
      if (id === 'DOC1') expect(served.headers['content-disposition']).toBe('inline; filename="contrato.pdf"');
    }
    const events = (await t.admin('get', '/api/v1/companies/acme/events?after=0&limit=1000').expect(200)).body.events as Array<{
      type: string;
      data: { providerMessageId: string; media?: Record<string, unknown> };
    }>;
    const logged = events.find((e) => e.type === 'message.received' && e.data.providerMessageId === 'DOC1');
    expect(logged?.data.media).toEqual({ type: 'document', mimeType: 'application/pdf', size: 70_000, fileName: 'contrato.pdf', status: 'pending' });
    const metrics = (await t.http().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/vv_media_downloads_total\{company="acme",result="stored"\} 3\b/);
    expect(metrics).toMatch(/vv_media_stored_bytes_total\{company="acme"\} 260000\b/);
  });

  it('refuses media over the size limit or the company quota, keeping the message', async () => {
    const phone = '+525511110002';
    await deliver(t, 'acme', phone, [{ id: 'BIG1', text: 'muy grande', media: media('video', 'video/mp4', randomBytes(301_000)) }]);
    const big = await settled(t, 'acme', phone, 'BIG1');
    expect(big).toMatchObject({ text: 'muy grande', media: { status: 'refused', reason: 'media too large: 301000 bytes (limit 300000)' } });
    const refused = await t.admin('get', `${base('acme')}/messages/${big.id}/media`).expect(409);
    expect(refused.body).toMatchObject({ code: 'MEDIA_NOT_AVAILABLE', details: { status: 'refused' } });

    await t
      .admin('patch', '/api/v1/companies/rival')
      .send({ caps: { mediaQuotaBytes: 100_000 } })
      .expect(200);
    await deliver(t, 'rival', phone, [{ id: 'Q1', media: media('image', 'image/png', randomBytes(60_000)) }]);
    expect((await settled(t, 'rival', phone, 'Q1')).media?.status).toBe('stored');
    await deliver(t, 'rival', phone, [{ id: 'Q2', media: media('image', 'image/png', randomBytes(60_000)) }]);
    expect((await settled(t, 'rival', phone, 'Q2')).media).toMatchObject({ status: 'refused', reason: "over the company's media quota (100000 bytes)" });
  });

  it('retries a failed download with backoff, and records the failure once the tries are spent', async () => {
    const phone = '+525511110003';
    const simulator = t.app.get(SimulatorAdapter);
    simulator.failNextDownloads(2);
    const data = randomBytes(10_000);
    await deliver(t, 'acme', phone, [{ id: 'R1', media: media('sticker', 'image/webp', data) }]);
    expect((await settled(t, 'acme', phone, 'R1')).media).toMatchObject({ status: 'stored', sha256: sha256(data) });

    simulator.failNextDownloads(3);
    await deliver(t, 'acme', phone, [{ id: 'R2', text: 'sin suerte', media: media('image', 'image/jpeg', data) }]);
    const failed = await settled(t, 'acme', phone, 'R2');
    expect(failed).toMatchObject({ text: 'sin suerte', media: { status: 'failed', reason: 'simulated download failure (after 3 tries)' } });
  });

  it("answers 403 to another company's key, for a real id and a guessed one alike; 404 to a guessed id with its own key", async () => {
    const phone = '+525511110004';
    await deliver(t, 'acme', phone, [{ id: 'ISO1', media: media('image', 'image/jpeg', randomBytes(1_000)) }]);
    const { id } = await settled(t, 'acme', phone, 'ISO1');
    const acmeKey = await t.createCompanyKey('acme');
    const rivalKey = await t.createCompanyKey('rival');
    const guessed = randomBytes(12).toString('hex');

    await t.as(acmeKey, 'get', `${base('acme')}/messages/${id}/media`).expect(200);
    for (const target of [id, guessed]) {
      expect((await t.as(rivalKey, 'get', `${base('acme')}/messages/${target}/media`).expect(403)).body.code).toBe('FORBIDDEN');
    }
    // Another company's message id through its own route finds nothing there.
    expect((await t.as(rivalKey, 'get', `${base('rival')}/messages/${id}/media`).expect(404)).body.code).toBe('MEDIA_NOT_FOUND');
    expect((await t.as(acmeKey, 'get', `${base('acme')}/messages/${guessed}/media`).expect(404)).body.code).toBe('MEDIA_NOT_FOUND');
    expect((await t.as(acmeKey, 'get', `${base('acme')}/messages/not-an-id/media`).expect(404)).body.code).toBe('MEDIA_NOT_FOUND');
    await t.admin('post', '/api/v1/companies/acme/sessions').send({ name: 'other' }).expect(201);
    expect((await t.as(acmeKey, 'get', `${base('acme', 'other')}/messages/${id}/media`).expect(404)).body.code).toBe('MEDIA_NOT_FOUND');
  });

  it('keeps a download for a live client pending while its session is stopped, across a restart, and finishes it once the session runs', async () => {
    const phone = '+525511110005';
    await t.admin('post', `${base('acme')}/stop`).expect(200);
    const company = await t.app.get(CompaniesService).get('acme');
    const data = randomBytes(20_000);
    await t.app.get(SimulatorAdapter).holdMedia(company, 'desk', 'RS1', data);
    const media = { type: 'document' as const, mimeType: 'text/csv', fileName: 'leads.csv', sizeBytes: data.length, source: { via: 'client' as const } };
    await t.app.get(InboundIntake).store(company, 'desk', [{ providerMessageId: 'RS1', from: phone, to: '+10000000000', timestamp: new Date(), media }]);
    await t.app.get(InboundIntake).flushAll();
    expect((await listed(t, 'acme', phone, 'RS1')).media?.status).toBe('pending');
    const run = t.run;
    await t.close({ keepDatabases: true });

    t = await startTestApp(ENV, run);
    expect((await listed(t, 'acme', phone, 'RS1')).media?.status).toBe('pending');
    await t.admin('post', `${base('acme')}/start`).expect(202);
    const restarted = await settled(t, 'acme', phone, 'RS1');
    expect(restarted.media).toMatchObject({ status: 'stored', sha256: sha256(data), fileName: 'leads.csv' });
    const served = await t
      .admin('get', `${base('acme')}/messages/${restarted.id}/media`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect((served.body as Buffer).equals(data)).toBe(true);
  });
});

/** supertest collects any content type as a Buffer with this parser. */
const binary = ((response: NodeJS.ReadableStream, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
  response.on('error', (error: Error) => callback(error, Buffer.alloc(0)));
}) as unknown as Parameters<request.Test['parse']>[0];
