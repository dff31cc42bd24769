import { isIP } from 'node:net';

/**
 * TRUST_PROXY, as both HTTP adapters take it (Express' `trust proxy`, Fastify's `trustProxy`): `false` (the
 * socket's peer is the client), `true` (the left-most X-Forwarded-For address), a hop count (that many
 * proxies in front: Render has one), or a comma-separated list of proxy addresses and CIDR ranges.
 */
export type TrustProxy = boolean | number | string[];

export function isTrustProxy(raw: unknown): boolean {
  return typeof raw === 'string' && parseTrustProxyOrNull(raw) !== null;
}

export function parseTrustProxy(raw: string): TrustProxy {
  const parsed = parseTrustProxyOrNull(raw);
  if (parsed === null) throw new Error(`TRUST_PROXY: "${raw}" is not false, true, a hop count or a list of addresses/CIDRs`);
  return parsed;
}

function parseTrustProxyOrNull(raw: string): TrustProxy | null {
  const value = raw.trim().toLowerCase();
  if (value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  return entries.length > 0 && entries.every(isAddressOrRange) ? entries : null;
}

function isAddressOrRange(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
