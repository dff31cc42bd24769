import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { generateSecret, signedHeaders } from './webhook-signature';
import { WebhookSender } from './webhook-sender';

describe('webhook sender', () => {
  let server: Server;
  let base: string;
  const received: Array<{ url?: string; headers: IncomingMessage['headers']; body: string }> = [];
  const limits = { timeoutMs: 2_000, maxResponseBytes: 1_000, allowPrivate: true, httpsOnly: false };
  const sender = new WebhookSender(limits);

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString() });
        if (request.url === '/ok') return void response.writeHead(204).end();
        if (request.url === '/fail') return void response.writeHead(503).end('busy');
        if (request.url === '/moved') return void response.writeHead(302, { Location: '/ok' }).end();
        if (request.url === '/big') {
          response.writeHead(200);
          const write = () => (response.write(Buffer.alloc(64 * 1024)) ? setImmediate(write) : response.once('drain', write));
          return void write();
        }
        if (request.url === '/stall') return; // never answers
        response.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    sender.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts a body the Standard Webhooks library verifies, with the secrets given', async () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    const body = JSON.stringify({ id: 'evt_1', type: 'message.received' });
    const result = await sender.send({ url: `${base}/ok`, body, headers: signedHeaders('evt_1', body, [current, previous], new Date()) });
    expect(result).toMatchObject({ ok: true, status: 204 });
    const delivery = received.at(-1)!;
    expect(delivery.headers['webhook-id']).toBe('evt_1');
    for (const secret of [current, previous])
      expect(new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateSecret()).verify(delivery.body, delivery.headers as Record<string, string>)).toThrow();
  });

  it('counts anything but 2xx as a failure, and does not follow redirects', async () => {
    await expect(sender.send({ url: `${base}/fail`, body: '{}', headers: {} })).resolves.toMatchObject({ ok: false, status: 503, error: 'HTTP 503' });
    const redirected = received.length;
    await expect(sender.send({ url: `${base}/moved`, body: '{}', headers: {} })).resolves.toMatchObject({
      ok: false,
      status: 302,
      error: expect.stringMatching(/not followed/),
    });
    expect(received.length).toBe(redirected + 1);
  });

  it('stops reading a response past the cap, the outcome being its status', async () => {
    await expect(sender.send({ url: `${base}/big`, body: '{}', headers: {} })).resolves.toMatchObject({ ok: true, status: 200 });
  });

  it('gives up on a receiver that does not answer in time, and on a refused connection', async () => {
    const quick = new WebhookSender({ ...limits, timeoutMs: 200 });
    await expect(quick.send({ url: `${base}/stall`, body: '{}', headers: {} })).resolves.toMatchObject({ ok: false, error: 'no answer within 200 ms' });
    quick.close();
    await expect(sender.send({ url: 'http://127.0.0.1:1/none', body: '{}', headers: {} })).resolves.toMatchObject({
      ok: false,
      error: expect.stringMatching(/ECONNREFUSED/),
    });
  });

  it('refuses private targets unless allowed, by address or by name, and http in production', async () => {
    const strict = new WebhookSender({ ...limits, allowPrivate: false });
    const before = received.length;
    for (const url of [`${base}/ok`, `http://localhost:${new URL(base).port}/ok`, 'http://[::1]/x', 'http://169.254.169.254/latest']) {
      await expect(strict.send({ url, body: '{}', headers: {} })).resolves.toMatchObject({
        ok: false,
        error: expect.stringMatching(/private address .* refused/),
      });
    }
    expect(received.length).toBe(before);
    const production = new WebhookSender({ ...limits, httpsOnly: true });
    await expect(production.send({ url: `${base}/ok`, body: '{}', headers: {} })).resolves.toMatchObject({
      ok: false,
      error: expect.stringMatching(/only https/),
    });
    strict.close();
    production.close();
  });

  it('stops at once when aborted, as no try', async () => {
    const controller = new AbortController();
    const pending = sender.send({ url: `${base}/stall`, body: '{}', headers: {} }, controller.signal);
    controller.abort();
    await expect(pending).resolves.toMatchObject({ ok: false, aborted: true });
  });
});
