import type { Client, Message } from 'whatsapp-web.js';
import type { InboundMessage } from '../provider-events';
import { isPersonalInbound, phoneOf, toInboundMessage } from './whatsapp-web-event.mapper';

/**
 * Our inbound message for a whatsapp-web.js message, or undefined when it is not one a person sent
 * this number. A sender known only by a privacy id (`…@lid`) is resolved to a phone number through
 * WhatsApp Web when it can be; otherwise the raw id is kept.
 */
export async function translateInbound(client: Client, message: Message, ownPhone: string | undefined, region: string): Promise<InboundMessage | undefined> {
  if (!isPersonalInbound(message)) return undefined;
  const from = phoneOf(message.from, region) ?? (await phoneOfLid(client, message.from, region)) ?? message.from;
  const to = ownPhone ?? phoneOf(message.to, region) ?? message.to;
  return toInboundMessage(message, from, to);
}

async function phoneOfLid(client: Client, waId: string, region: string): Promise<string | undefined> {
  if (!waId.endsWith('@lid')) return undefined;
  const [mapping] = await client.getContactLidAndPhone([waId]);
  return phoneOf(mapping?.pn, region);
}
