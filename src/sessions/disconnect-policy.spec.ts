import { decideOnDisconnect } from './disconnect-policy';
import { ALLOWED_TRANSITIONS, assertTransition } from './session-transitions';

const policy = { baseMs: 1_000, maxMs: 30_000, maxAttempts: 3 };
const drop = (overrides = {}) => ({ type: 'disconnected' as const, reason: 'stream errored', retryable: true, ...overrides });

describe('decideOnDisconnect', () => {
  it('reconnects a retryable drop with backoff until the budget is spent', () => {
    expect(decideOnDisconnect(drop(), 1, policy, true, () => 1)).toEqual({ action: 'reconnect', delayMs: 1_000 });
    expect(decideOnDisconnect(drop(), 3, policy, true, () => 1)).toEqual({ action: 'reconnect', delayMs: 4_000 });
    expect(decideOnDisconnect(drop(), 4, policy, true)).toEqual({ action: 'fail', reason: 'gave up after 3 reconnect attempts: stream errored' });
  });

  it('fails at once, without a retry, on a terminal cause (banned, bad session)', () => {
    expect(decideOnDisconnect(drop({ retryable: false, reason: 'banned by WhatsApp: (403)' }), 1, policy, true)).toEqual({
      action: 'fail',
      reason: 'banned by WhatsApp: (403)',
    });
  });

  it('yields to another connection of the same device instead of fighting it', () => {
    expect(decideOnDisconnect(drop({ retryable: false, action: 'yield', reason: 'replaced (440)' }), 1, policy, true)).toEqual({
      action: 'yield',
      reason: 'replaced (440)',
    });
  });

  it('restarts at once when the provider asks for it, and never reconnects while shutting down', () => {
    expect(decideOnDisconnect(drop({ action: 'restart-now' }), 1, policy, true)).toEqual({ action: 'restart-now' });
    expect(decideOnDisconnect(drop({ action: 'restart-now' }), 1, policy, false).action).toBe('fail');
    expect(decideOnDisconnect(drop(), 1, policy, false).action).toBe('fail');
  });
});

describe('session transitions', () => {
  it('lets every status stop or log out', () => {
    for (const from of Object.keys(ALLOWED_TRANSITIONS) as Array<keyof typeof ALLOWED_TRANSITIONS>) {
      expect(() => assertTransition('s', from, 'STOPPED')).not.toThrow();
      expect(() => assertTransition('s', from, 'LOGGED_OUT')).not.toThrow();
    }
  });

  it('reaches WORKING only through a start', () => {
    expect(() => assertTransition('s', 'STOPPED', 'WORKING')).toThrow(/STOPPED → WORKING/);
    expect(() => assertTransition('s', 'SUSPENDED', 'SCAN_QR')).toThrow();
    expect(() => assertTransition('s', 'RECONNECTING', 'WORKING')).toThrow();
    expect(() => assertTransition('s', 'STARTING', 'WORKING')).not.toThrow();
  });
});
