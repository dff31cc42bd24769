import { isPrivateAddress, resolveAll } from '../core/net/private-address';
import { WebhooksException } from './webhooks.exception';

export interface TargetPolicy {
  httpsOnly: boolean;
  allowPrivate: boolean;
}

/**
 * Checks a webhook URL at registration: https in production, and no private, loopback or link-local
 * address behind its host unless allowed. Where private targets are allowed (development, tests, benches),
 * a private target may also use http, even in production mode; a public one never does. Deliveries check
 * the address again at connect time (DNS can change).
 */
export async function checkTarget(raw: string, policy: TargetPolicy): Promise<void> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw WebhooksException.targetForbidden('not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw WebhooksException.targetForbidden('only http(s) URLs');
  const needsHttps = policy.httpsOnly && url.protocol !== 'https:';
  if (needsHttps && !policy.allowPrivate) throw WebhooksException.targetForbidden('https is required');
  if (policy.allowPrivate && !needsHttps) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = await resolveAll(host);
  } catch {
    throw WebhooksException.targetForbidden(`host "${host}" does not resolve`);
  }
  if (needsHttps) {
    if (!addresses.every(isPrivateAddress)) throw WebhooksException.targetForbidden('https is required');
    return;
  }
  const refused = addresses.find(isPrivateAddress);
  if (refused) throw WebhooksException.targetForbidden(`"${host}" is a private, loopback or link-local address (${refused})`);
}
