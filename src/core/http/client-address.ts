import { BlockList, isIP } from 'node:net';
import type { TrustProxy } from './trust-proxy';

/**
 * The client's address as Fastify derives `request.ip` under the same `trustProxy` (proxy-addr's rule), for
 * connections Fastify does not see (Socket.IO handshakes): walk from the socket's peer back through
 * X-Forwarded-For while the hop is trusted; the first untrusted one (or the furthest) is the client.
 */
export function clientAddress(peer: string, forwardedFor: string | string[] | undefined, trust: TrustProxy): string {
  if (trust === false) return peer;
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const hops = [peer, ...forwarded.reverse()];
  const trusted = trustTest(trust);
  for (let i = 0; i < hops.length - 1; i++) if (!trusted(hops[i], i)) return hops[i];
  return hops[hops.length - 1];
}

function trustTest(trust: Exclude<TrustProxy, false>): (address: string, hop: number) => boolean {
  if (trust === true) return () => true;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  const list = new BlockList();
  for (const entry of trust) {
    const [address, prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
}
