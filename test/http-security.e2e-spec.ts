import { startTestApp, type TestApp } from './support/test-app';

describe('security headers and CORS (real HTTP)', () => {
  let t: TestApp;
  const allowed = 'https://admin.example.com';

  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: `${allowed}, https://other.example.com` });
  });
  afterAll(() => t.close());

  it('sets helmet headers on API answers, errors included', async () => {
    for (const response of [await t.http().get('/health/live').expect(200), await t.http().get('/api/v1/companies').expect(401)]) {
      expect(response.headers).toMatchObject({
        'content-security-policy': expect.stringContaining("script-src 'self'"),
        'x-content-type-options': 'nosniff',
        'strict-transport-security': expect.stringContaining('max-age='),
        'x-frame-options': 'SAMEORIGIN',
        'referrer-policy': 'no-referrer',
      });
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('serves /docs under that policy: same-origin scripts only, none inline', async () => {
    const page = await t.http().get('/docs').expect(200);
    expect(page.headers['content-security-policy']).not.toContain('unsafe-eval');
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      const src = /src=["']([^"']+)["']/.exec(attributes)?.[1];
      expect({ src, inline: inline.trim() }).toEqual({ src: expect.any(String), inline: '' });
      const url = new URL(src!, `${t.origin}/docs`);
      expect(url.origin).toBe(t.origin);
      await t.http().get(url.pathname).expect(200);
    }
  });

  it('answers CORS for configured origins only', async () => {
    const preflight = await t
      .http()
      .options('/api/v1/companies')
      .set('Origin', allowed)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'x-api-key, content-type');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(allowed);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/X-API-Key/i);

    const simple = await t.http().get('/health/live').set('Origin', allowed).expect(200);
    expect(simple.headers['access-control-allow-origin']).toBe(allowed);
    expect(simple.headers['access-control-expose-headers']).toMatch(/X-Request-Id/);

    const denied = await t.http().get('/health/live').set('Origin', 'https://evil.example.com').expect(200);
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    const deniedPreflight = await t.http().options('/api/v1/companies').set('Origin', 'https://evil.example.com').set('Access-Control-Request-Method', 'POST');
    expect(deniedPreflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});
