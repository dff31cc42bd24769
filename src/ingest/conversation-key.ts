import { toE164 } from '../prospects/phone-number';
import type { InboundMessage } from '../providers/provider-events';

export interface ConversationKey {
  direction: 'inbound' | 'outbound';
  /** The other party: E.164 when it is a phone number, else the provider's id as given (e.g. `…@lid`). */
  phone: string;
}

/**
 * Which chat a message belongs to. Chats are keyed by E.164, so `+521…` WhatsApp ids and `+52…`
 * share one chat; a message typed on the account's own phone belongs to its recipient's chat.
 */
export function conversationOf(message: InboundMessage, defaultRegion: string): ConversationKey {
  const other = message.fromMe ? message.to : message.from;
  const parsed = toE164(other, defaultRegion);
  return { direction: message.fromMe ? 'outbound' : 'inbound', phone: parsed.ok ? parsed.e164 : other };
}
