import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY_PATTERN = /^vv_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedApiKey {
  id: string;
  key: string;
  secretHash: string;
}

/** Keys look like `vv_<id>_<secret>`: the id finds the record, the secret is checked against its hash. */
export function generateApiKey(): GeneratedApiKey {
  const id = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  return { id, key: `vv_${id}_${secret}`, secretHash: hashSecret(secret) };
}

export function parseApiKey(key: string): { id: string; secret: string } | null {
  const match = KEY_PATTERN.exec(key);
  return match ? { id: match[1], secret: match[2] } : null;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function sameSecret(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

/**
 * What failed attempts are counted under, besides the address: `vv_<id>` for a well-formed company key (so
 * guesses at one key's secret share a budget), the first 8 characters of anything else, `-` for no key.
 */
export function keyPrefix(key: string | undefined): string {
  if (!key) return '-';
  const parsed = parseApiKey(key);
  return parsed ? `vv_${parsed.id}` : key.slice(0, 8);
}
