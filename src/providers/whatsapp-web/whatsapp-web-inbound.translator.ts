import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, Message } from 'whatsapp-web.js';
import type { InboundMessage } from '../provider-events';
import { isPersonalInbound, isPersonalOwn, phoneOf, toInboundMessage } from './whatsapp-web-event.mapper';

/** Messages are delivered one at a time, so a page that never answers must not hold the ones behind. */
const LID_LOOKUP_TIMEOUT_MS = 10_000;

/**
 * Our message for a whatsapp-web.js message in a one-to-one chat, or undefined for anything else:
 * one a person sent this number, or one this account wrote (`fromMe`, from us to the other party).
 * The other party known only by a privacy id (`…@lid`) is resolved to a phone number through WhatsApp
 * Web when it can be; otherwise the raw id is kept.
 */
export async function translateInbound(client: Client, message: Message, ownPhone: string | undefined, region: string): Promise<InboundMessage | undefined> {
  if (isPersonalOwn(message)) {
    const from = ownPhone ?? phoneOf(message.from, region) ?? message.from;
    return toInboundMessage(message, from, await otherParty(client, message.to, region));
  }
  if (!isPersonalInbound(message)) return undefined;
  const to = ownPhone ?? phoneOf(message.to, region) ?? message.to;
  return toInboundMessage(message, await otherParty(client, message.from, region), to);
}

async function otherParty(client: Client, waId: string, region: string): Promise<string> {
  return phoneOf(waId, region) ?? (await phoneOfLid(client, waId, region)) ?? waId;
}

/** Undefined when WhatsApp Web cannot tell (or the browser is gone): the message is kept under its raw id. */
async function phoneOfLid(client: Client, waId: string, region: string): Promise<string | undefined> {
  if (!waId.endsWith('@lid')) return undefined;
  const abort = new AbortController();
  try {
    const lookup = client.getContactLidAndPhone([waId]).then(([mapping]) => phoneOf(mapping?.pn, region));
    const expired = sleep(LID_LOOKUP_TIMEOUT_MS, undefined, { signal: abort.signal }).catch(() => undefined);
    return await Promise.race([lookup, expired]);
  } catch {
    return undefined;
  } finally {
    abort.abort();
  }
}
