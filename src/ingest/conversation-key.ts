import { LRUCache } from 'lru-cache';
import { toE164 } from '../prospects/phone-number';
import type { InboundMessage } from '../providers/provider-events';

export interface ConversationKey {
  direction: 'inbound' | 'outbound';
  /** The other party: E.164 when it is a phone number, else the provider's id as given (e.g. `…@lid`). */
  phone: string;
}

/** Parsing a number costs more than the rest of a message's ingest; senders repeat, so parses are kept. */
const parsed = new LRUCache<string, string>({ max: 20_000 });

/**
 * Which chat a message belongs to. Chats are keyed by E.164, so `+521…` WhatsApp ids and `+52…`
 * share one chat; a message typed on the account's own phone belongs to its recipient's chat.
 */
export function conversationOf(message: InboundMessage, defaultRegion: string): ConversationKey {
  const other = message.fromMe ? message.to : message.from;
  return { direction: message.fromMe ? 'outbound' : 'inbound', phone: chatPhoneOf(other, defaultRegion) };
}

function chatPhoneOf(address: string, defaultRegion: string): string {
  const key = `${defaultRegion}\u0000${address}`;
  let phone = parsed.get(key);
  if (phone === undefined) {
    const result = toE164(address, defaultRegion);
    phone = result.ok ? result.e164 : address;
    parsed.set(key, phone);
  }
  return phone;
}
