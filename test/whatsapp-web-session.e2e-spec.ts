import { readdirSync, readFileSync } from 'node:fs';
import { SessionEvents, type SessionTransition } from '../src/sessions/session-events';
import { startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

/** Chromium processes started for our sessions: their profile lives under our temp folder. */
function ourChromiumProcesses(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes('chrom') && cmdline.includes('virtual-voices/whatsapp-web');
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('a whatsapp-web session offline (real Chromium, real session manager)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      CHROMIUM_HOST_RESOLVER_RULES: 'MAP * ~NOTFOUND',
      SESSION_RECONNECT_MAX_ATTEMPTS: '1',
      SESSION_RECONNECT_BASE_MS: '50',
    });
  });
  afterAll(() => t.close());

  it('fails fast to RECONNECTING then FAILED with the reason, leaving no Chromium behind', async () => {
    const seen: SessionTransition[] = [];
    t.app.get(SessionEvents).on('transition', (transition) => seen.push(transition));
    await t.admin('post', '/api/v1/companies/mitsubishi/sessions').send({ name: 'offline' }).expect(201);
    const started = Date.now();
    await t.admin('post', '/api/v1/companies/mitsubishi/sessions/offline/start').expect(202);
    await until(() => seen.some((s) => s.status === 'FAILED'), { what: 'the session FAILED' });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(seen.map((s) => s.status)).toEqual(['STARTING', 'RECONNECTING', 'STARTING', 'FAILED']);
    expect(seen[1].reason).toMatch(/ERR_NAME_NOT_RESOLVED/);
    const session = await t.admin('get', '/api/v1/companies/mitsubishi/sessions/offline').expect(200);
    expect(session.body).toMatchObject({ status: 'FAILED', provider: 'whatsapp-web' });
    expect(session.body.reason).toMatch(/gave up after 1 reconnect attempts: .*ERR_NAME_NOT_RESOLVED/);
    await until(() => ourChromiumProcesses().length === 0, { timeoutMs: 10_000, what: 'no Chromium left' });
  });
});
