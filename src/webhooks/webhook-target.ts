import { isPrivateAddress, resolveAll } from '../core/net/private-address';
import { WebhooksException } from './webhooks.exception';

export interface TargetPolicy {
  httpsOnly: boolean;
  allowPrivate: boolean;
}

/**
 * Checks a webhook URL at registration: https in production, and no private, loopback or link-local
 * address behind its host unless allowed. Deliveries check again at connect time (DNS can change).
 */
export async function checkTarget(raw: string, policy: TargetPolicy): Promise<void> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw WebhooksException.targetForbidden('not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw WebhooksException.targetForbidden('only http(s) URLs');
  if (policy.httpsOnly && url.protocol !== 'https:') throw WebhooksException.targetForbidden('https is required');
  if (policy.allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = await resolveAll(host);
  } catch {
    throw WebhooksException.targetForbidden(`host "${host}" does not resolve`);
  }
  const refused = addresses.find(isPrivateAddress);
  if (refused) throw WebhooksException.targetForbidden(`"${host}" is a private, loopback or link-local address (${refused})`);
}
