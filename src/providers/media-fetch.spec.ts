import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchMedia } from './media-fetch';
import { ProviderSendError } from './provider-send.error';

describe('outbound media fetch', () => {
  let server: Server;
  let port: number;
  const limits = { maxBytes: 1_000, timeoutMs: 2_000, allowPrivate: true };

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/logo.png') return void response.writeHead(200, { 'Content-Type': 'image/png; charset=binary' }).end(Buffer.alloc(600, 1));
      if (request.url === '/declared-big') return void response.writeHead(200, { 'Content-Length': '5000' }).end(Buffer.alloc(5_000));
      if (request.url === '/streamed-big') {
        response.writeHead(200, { 'Content-Type': 'application/pdf' });
        for (let i = 0; i < 5; i++) response.write(Buffer.alloc(400));
        return void response.end();
      }
      if (request.url === '/moved') return void response.writeHead(302, { Location: '/logo.png' }).end();
      if (request.url === '/stall') return; // never answers
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses loopback, private and link-local addresses unless allowed, by literal address or by name', async () => {
    for (const url of [
      `http://127.0.0.1:${port}/logo.png`,
      `http://localhost:${port}/logo.png`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.8/x.png',
      'http://[::1]/x.png',
    ]) {
      const refused = fetchMedia(url, { ...limits, allowPrivate: false });
      await expect(refused).rejects.toThrow(/refused: private address/);
      await expect(refused).rejects.toMatchObject({ permanent: true });
    }
    await expect(fetchMedia('file:///etc/passwd', limits)).rejects.toThrow(/http or https only/);
  });

  it('fetches within the limits, following a redirect', async () => {
    const media = await fetchMedia(`http://127.0.0.1:${port}/moved`, limits);
    expect(media).toEqual({ data: Buffer.alloc(600, 1), mimeType: 'image/png', fileName: 'logo.png' });
  });

  it('refuses what is larger than the cap, declared or streamed', async () => {
    await expect(fetchMedia(`http://127.0.0.1:${port}/declared-big`, limits)).rejects.toThrow(/too large: 5000 bytes/);
    await expect(fetchMedia(`http://127.0.0.1:${port}/streamed-big`, limits)).rejects.toThrow(/too large: over 1000 bytes/);
  });

  it('gives up after the time limit, as a transient failure', async () => {
    const stalled = fetchMedia(`http://127.0.0.1:${port}/stall`, { ...limits, timeoutMs: 200 });
    await expect(stalled).rejects.toThrow(ProviderSendError);
    await expect(stalled).rejects.toMatchObject({ permanent: false, message: 'media fetch timed out' });
  });
});
