import { connect } from 'node:net';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

/** Sends raw bytes and reads the whole answer until the server closes: for what an HTTP client would refuse to send. */
function rawExchange(origin: string, request: string): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => socket.end(request));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head, body });
    });
  });
}

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('HTTP input limits and framework errors (real HTTP)', () => {
  let t: TestApp;
  const prospects = '/api/v1/companies/mitsubishi/prospects';

  beforeAll(async () => {
    t = await startTestApp({ HTTP_BODY_LIMIT_BYTES: '4096', HTTP_LARGE_BODY_LIMIT_BYTES: '65536', HTTP_JSON_MAX_DEPTH: '32' });
  });
  afterAll(() => t.close());

  const expectError = (response: { status: number; body: unknown }, status: number, code: string) => {
    expect({ status: response.status, body: response.body }).toEqual({ status, body: { statusCode: status, code, message: expect.any(String) } });
  };

  it('answers 413 PAYLOAD_TOO_LARGE beyond the body limit, and lets the bulk routes take more', async () => {
    const big = { slug: 'acme', displayName: 'x'.repeat(5_000), provider: 'baileys' };
    expectError(await t.admin('post', '/api/v1/companies').send(big), 413, 'PAYLOAD_TOO_LARGE');

    const rows = Array.from({ length: 300 }, (_, i) => ({ number: `+52155${String(30_000_000 + i)}`, name: `Lead ${i}` }));
    expect(JSON.stringify({ rows }).length).toBeGreaterThan(4096);
    expect((await t.admin('post', `${prospects}/import`).send({ rows }).expect(200)).body).toMatchObject({ created: 300 });

    const tooMany = Array.from({ length: 2_000 }, (_, i) => ({ number: `+52155${String(40_000_000 + i)}`, name: `Lead ${i}` }));
    expectError(await t.admin('post', `${prospects}/import`).send({ rows: tooMany }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses deep JSON with 400 BODY_TOO_DEEP before parsing it, counting brackets outside strings only', async () => {
    const json = (body: string) => t.admin('post', '/api/v1/companies').set('Content-Type', 'application/json').send(body);
    // 30 KB of nesting used to overflow class-transformer's stack (500).
    const deep = `{"rows":${nested(15_000)}}`;
    expect(deep.length).toBeGreaterThan(30_000);
    expectError(await t.admin('post', `${prospects}/import`).set('Content-Type', 'application/json').send(deep), 400, 'BODY_TOO_DEEP');
    expectError(await json(`{"slug":${nested(32)}}`), 400, 'BODY_TOO_DEEP');
    const shallow = await json(`{"slug":${nested(30)}}`);
    expect(shallow.body.code).toBe('VALIDATION_FAILED');
    const bracketsInAString = await json(JSON.stringify({ slug: 'acme-co', displayName: '['.repeat(100), provider: 'baileys' }));
    expect(bracketsInAString.status).toBe(201);
  });

  it('answers malformed JSON with 400 MALFORMED_JSON and takes an empty JSON body as no body', async () => {
    expectError(await t.admin('post', `${prospects}/import`).set('Content-Type', 'application/json').send('{"rows": ['), 400, 'MALFORMED_JSON');
    expectError(await t.admin('post', `${prospects}/import`).set('Content-Type', 'application/json').send('{"__proto__": {"x": 1}}'), 400, 'MALFORMED_JSON');
    await t.admin('post', '/api/v1/companies/mitsubishi/sessions').send({ name: 'desk' }).expect(201);
    const empty = await t.admin('post', '/api/v1/companies/mitsubishi/sessions/desk/stop').set('Content-Type', 'application/json').send('');
    expect(empty.status).toBe(200);
  });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE for a body a route does not take', async () => {
    const number = `${prospects}/${encodeURIComponent('+5215530000001')}`;
    expectError(await t.admin('patch', number).set('Content-Type', 'text/plain').send('{"name":"Ana"}'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await t.admin('patch', number).type('form').send('name=Ana'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await t.admin('post', '/webhooks/twilio/mitsubishi').send({ Body: 'hola' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const patched = await t.admin('patch', number).set('Content-Type', 'application/json; charset=utf-8').send('{"name":"Ana"}').expect(200);
    expect(patched.body.name).toBe('Ana');
  });

  it('answers 404, 405 (with Allow) and 431 in the standard shape', async () => {
    expectError(await t.admin('get', '/api/v1/nowhere'), 404, 'NOT_FOUND');
    const wrongMethod = await t.admin('delete', '/api/v1/companies');
    expectError(wrongMethod, 405, 'METHOD_NOT_ALLOWED');
    expect(wrongMethod.headers.allow).toBe('GET, HEAD, POST');

    const huge = await rawExchange(t.origin, `GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge.status).toBe(431);
    expect(JSON.parse(huge.body)).toEqual({ statusCode: 431, code: 'HEADERS_TOO_LARGE', message: expect.any(String) });
    const garbage = await rawExchange(t.origin, 'NOT HTTP AT ALL\r\n\r\n');
    expect(JSON.parse(garbage.body)).toEqual({ statusCode: 400, code: 'MALFORMED_REQUEST', message: expect.any(String) });
  });

  it('echoes a valid X-Request-Id and answers 401 in the standard shape', async () => {
    const response = await t.http().get('/health/live').set('X-Request-Id', 'probe-12345678').expect(200);
    expect(response.headers['x-request-id']).toBe('probe-12345678');
    const generated = await t.http().get('/health/live').set('X-Request-Id', 'bad id!').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const denied = await t.http().get('/api/v1/companies').set('X-API-Key', `${ADMIN_KEY}x`);
    expectError(denied, 401, 'UNAUTHENTICATED');
  });
});
