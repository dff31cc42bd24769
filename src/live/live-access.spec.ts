import type { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { AuthException } from '../auth/auth.exception';
import type { Principal } from '../auth/principal';
import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';
import type { HttpConfig } from '../core/http/http.config';
import { LiveAccess } from './live-access';
import type { LiveHandshake } from './live-handshake';
import { roomsFor } from './live-rooms';

const KEYS: Record<string, Principal> = {
  'admin-key': { kind: 'admin', id: 'admin' },
  'acme-key': { kind: 'company', id: 'k1', company: 'acme' },
};

const authenticator = {
  authenticate: async (key: string | undefined) => {
    const principal = key ? KEYS[key] : undefined;
    if (!principal) throw AuthException.unauthenticated();
    return principal;
  },
} as unknown as ApiKeyAuthenticator;

const access = new LiveAccess(authenticator, { trustProxy: false } as HttpConfig);
const handshake = (auth: Record<string, unknown>, headers: Record<string, string> = {}): LiveHandshake => ({ auth, headers, address: '127.0.0.1' });

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as AppException).code;
  }
}

describe('LiveAccess', () => {
  it("joins a company key to its own company's room", async () => {
    expect(await access.admit(handshake({ apiKey: 'acme-key' }))).toEqual({ holder: 'acme', rooms: ['company:acme'] });
  });

  it('reads the key from the X-API-Key header when auth has none', async () => {
    expect((await access.admit(handshake({}, { 'x-api-key': 'acme-key' }))).holder).toBe('acme');
  });

  it('refuses a missing or unknown key as UNAUTHENTICATED', async () => {
    expect(await codeOf(access.admit(handshake({})))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await codeOf(access.admit(handshake({ apiKey: 'nope' })))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it("refuses a company key that asks for another company's events", async () => {
    expect(await codeOf(access.admit(handshake({ apiKey: 'acme-key', companies: ['other'] })))).toBe(ErrorCode.FORBIDDEN);
    expect((await access.admit(handshake({ apiKey: 'acme-key', companies: ['acme'] }))).rooms).toEqual(['company:acme']);
  });

  it('joins the admin to every company, or to the companies it names', async () => {
    expect(await access.admit(handshake({ apiKey: 'admin-key' }))).toEqual({ holder: '*', rooms: ['companies:*'] });
    expect((await access.admit(handshake({ apiKey: 'admin-key', companies: ['acme', 'beta', 'acme'] }))).rooms).toEqual(['company:acme', 'company:beta']);
  });

  it('joins one room per requested event type', async () => {
    const { rooms } = await access.admit(handshake({ apiKey: 'acme-key', types: ['message.received', 'session.status'] }));
    expect(rooms).toEqual(['company:acme:message.received', 'company:acme:session.status']);
  });

  it.each([
    ['companies not a list', { companies: 'acme' }],
    ['an empty companies list', { companies: [] }],
    ['an invalid slug', { companies: ['Not A Slug'] }],
    ['an unknown event type', { types: ['message.deleted'] }],
    ['an empty types list', { types: [] }],
  ])('refuses %s as VALIDATION_FAILED', async (_label, scope) => {
    expect(await codeOf(access.admit(handshake({ apiKey: 'admin-key', ...scope })))).toBe(ErrorCode.VALIDATION_FAILED);
  });

  it('broadcasts an event to exactly the rooms its subscribers join', () => {
    const rooms = roomsFor({ company: 'acme', type: 'message.received' });
    expect(rooms).toEqual(['company:acme', 'company:acme:message.received', 'companies:*', 'companies:*:message.received']);
    expect(rooms).not.toContain('company:acme:session.status');
  });
});
