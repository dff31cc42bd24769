import type { AuthConfig } from '../core/config/configuration';
import { AppException } from '../core/http/app.exception';
import { ADDRESS_FAILURE_FACTOR, ApiKeyAuthenticator } from './api-key-authenticator';
import type { ApiKeysService } from './api-keys.service';
import type { Principal } from './principal';

const ADMIN_KEY = 'admin-key-0123456789abcdefghij';
const COMPANY_KEY = `vv_abcdefghijkl_${'s'.repeat(43)}`;
const WRONG_SECRET = `vv_abcdefghijkl_${'w'.repeat(43)}`;
const UNKNOWN_ID = `vv_zzzzzzzzzzzz_${'w'.repeat(43)}`;

function authenticator(failures: number): ApiKeyAuthenticator {
  const principals = new Map<string, Principal>([
    [ADMIN_KEY, { kind: 'admin', id: 'admin' }],
    [COMPANY_KEY, { kind: 'company', id: 'abcdefghijkl', company: 'acme' }],
  ]);
  const apiKeys = { resolve: async (key: string) => principals.get(key) ?? null } as unknown as ApiKeysService;
  return new ApiKeyAuthenticator(apiKeys, { authFailuresPer5Minutes: failures } as AuthConfig);
}

async function outcome(auth: ApiKeyAuthenticator, key: string | undefined, address = '203.0.113.7'): Promise<string> {
  try {
    const principal = await auth.authenticate(key, address);
    return principal.kind;
  } catch (error) {
    return (error as AppException).code;
  }
}

describe('ApiKeyAuthenticator', () => {
  it('refuses failed attempts with 401 up to the budget, then with 429 and the time to wait', async () => {
    const auth = authenticator(3);
    for (let i = 0; i < 3; i++) expect(await outcome(auth, WRONG_SECRET)).toBe('UNAUTHENTICATED');
    const refusal = await auth.authenticate(WRONG_SECRET, '203.0.113.7').catch((error: AppException) => error);
    expect(refusal).toMatchObject({ code: 'RATE_LIMITED' });
    expect((refusal as AppException).options.retryAfterSeconds).toBeGreaterThan(0);
    expect((refusal as AppException).options.retryAfterSeconds).toBeLessThanOrEqual(300);
  });

  it('lets valid keys through from an address whose failures are over every budget', async () => {
    const auth = authenticator(2);
    // The valid company key's own prefix (its id, a wrong secret), other prefixes and no key at all.
    for (const key of [WRONG_SECRET, WRONG_SECRET, WRONG_SECRET, UNKNOWN_ID, UNKNOWN_ID, UNKNOWN_ID, undefined, undefined, undefined]) await outcome(auth, key);
    expect(await outcome(auth, WRONG_SECRET)).toBe('RATE_LIMITED');
    expect(await outcome(auth, undefined)).toBe('RATE_LIMITED');

    expect(await outcome(auth, COMPANY_KEY)).toBe('company');
    expect(await outcome(auth, ADMIN_KEY)).toBe('admin');
  });

  it('counts failures per address and key prefix', async () => {
    const auth = authenticator(2);
    for (let i = 0; i < 2; i++) await outcome(auth, WRONG_SECRET);
    expect(await outcome(auth, WRONG_SECRET)).toBe('RATE_LIMITED');
    // Another key id from the same address, and the same key id from another address, have budgets of their own.
    expect(await outcome(auth, UNKNOWN_ID)).toBe('UNAUTHENTICATED');
    expect(await outcome(auth, WRONG_SECRET, '198.51.100.9')).toBe('UNAUTHENTICATED');
  });

  it('caps failures per address over all prefixes, so varying the key does not buy unlimited attempts', async () => {
    const auth = authenticator(2);
    const cap = 2 * ADDRESS_FAILURE_FACTOR;
    for (let i = 0; i < cap; i++) expect(await outcome(auth, `k${String(i).padStart(4, '0')}-garbage-key`)).toBe('UNAUTHENTICATED');
    expect(await outcome(auth, 'fresh-garbage-key')).toBe('RATE_LIMITED');
    expect(await outcome(auth, WRONG_SECRET, '198.51.100.9')).toBe('UNAUTHENTICATED');
    expect(await outcome(auth, COMPANY_KEY)).toBe('company');
  });
});
