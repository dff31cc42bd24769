import { isIP } from 'node:net';

/**
 * TRUST_PROXY, in the terms of proxy-addr (Express' `trust proxy`, Fastify's `trustProxy`): `false` (the
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

/**
 * Fastify's `trustProxy` for a setting. Fastify takes a bare number as "trust nothing" (it cannot check the
 * peer's address), so a hop count goes as the classic rule: the first `n` hops are proxies. That is only right
 * where clients reach the service through those proxies alone, as on Render.
 */
export function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}
