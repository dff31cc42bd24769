import type { Message } from 'whatsapp-web.js';
import { toE164 } from '../../prospects/phone-number';
import type { DeliveryStatus, InboundMessage, MediaDescriptor, MediaType, ProviderEvent } from '../provider-events';

/** The fields of a whatsapp-web.js message this mapping reads. */
export type WwebjsMessage = Pick<Message, 'id' | 'fromMe' | 'from' | 'to' | 'body' | 'hasMedia' | 'type' | 'timestamp' | 'isStatus'> & {
  rawData?: object;
};

interface RawMessageData {
  mimetype?: string;
  filename?: string;
  size?: number;
  notifyName?: string;
}

/** Chats that are not one person: groups, status, broadcast lists, channels. */
const NOT_A_PERSON = /@(g\.us|broadcast|newsletter)$/;

/** System entries WhatsApp files as messages; none is something a person wrote. */
const SYSTEM_TYPES = new Set([
  'e2e_notification',
  'notification',
  'notification_template',
  'gp2',
  'group_notification',
  'protocol',
  'ciphertext',
  'call_log',
  'revoked',
  'debug',
  'broadcast_notification',
]);

/** Only what a person sent to this number in a one-to-one chat becomes an inbound message. */
export function isPersonalInbound(message: WwebjsMessage): boolean {
  return !message.fromMe && isPersonal(message);
}

/** What this account wrote in a one-to-one chat (typed on the phone, or sent through us). */
export function isPersonalOwn(message: WwebjsMessage): boolean {
  return message.fromMe && isPersonal(message);
}

/** A one-to-one chat with a person, and an entry someone wrote (not a system notice). */
function isPersonal(message: WwebjsMessage): boolean {
  const chat = message.fromMe ? message.to : message.from;
  return !message.isStatus && !!chat && !NOT_A_PERSON.test(chat) && !SYSTEM_TYPES.has(message.type);
}

/** E.164 for a phone-number WhatsApp id (`5215512345678@c.us`); undefined for anything else (`…@lid`). */
export function phoneOf(waId: string | undefined, defaultRegion: string): string | undefined {
  if (!waId || !/@(c\.us|s\.whatsapp\.net)$|^\d+$/.test(waId)) return undefined;
  const parsed = toE164(waId, defaultRegion);
  return parsed.ok ? parsed.e164 : undefined;
}

/** `from` and `to` as resolved by the caller; our own messages carry `fromMe` and no sender name (it would be ours). */
export function toInboundMessage(message: WwebjsMessage, from: string, to: string): InboundMessage {
  const raw = (message.rawData ?? {}) as RawMessageData;
  const mapped: InboundMessage = {
    providerMessageId: message.id._serialized,
    from,
    to,
    text: message.body ? message.body : undefined,
    media: message.hasMedia ? mediaOf(message, raw) : undefined,
    timestamp: new Date(message.timestamp * 1000),
    senderName: message.fromMe ? undefined : raw.notifyName || undefined,
  };
  if (message.fromMe) mapped.fromMe = true;
  return mapped;
}

/** The bytes stay in the page: only the live client can fetch them (`downloadMedia`). */
function mediaOf(message: WwebjsMessage, raw: RawMessageData): MediaDescriptor {
  const media: MediaDescriptor = { type: mediaTypeOf(message.type), mimeType: raw.mimetype ?? fallbackMimeType(message.type), source: { via: 'client' } };
  if (raw.filename) media.fileName = raw.filename;
  if (typeof raw.size === 'number') media.sizeBytes = raw.size;
  if (message.body) media.caption = message.body;
  return media;
}

export function mediaTypeOf(type: string): MediaType {
  switch (type) {
    case 'image':
    case 'video':
    case 'audio':
    case 'sticker':
      return type;
    case 'ptt':
      return 'voice';
    default:
      return 'document';
  }
}

function fallbackMimeType(type: string): string {
  switch (type) {
    case 'image':
    case 'sticker':
      return 'image/*';
    case 'video':
      return 'video/*';
    case 'audio':
    case 'ptt':
      return 'audio/*';
    default:
      return 'application/octet-stream';
  }
}

/** whatsapp-web.js `MessageAck`: -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played. */
export function statusOfAck(ack: number): DeliveryStatus | undefined {
  if (ack === -1) return 'failed';
  if (ack === 1) return 'sent';
  if (ack === 2) return 'delivered';
  if (ack === 3 || ack === 4) return 'read';
  return undefined;
}

/**
 * `LOGOUT` and `UNPAIRED` mean the phone unlinked this device (logged out); `CONFLICT` means WhatsApp Web was
 * opened elsewhere for this number (yield, never fight it); every other reason (a WAState) may recover on restart.
 */
export function disconnectedEvent(reason: string): ProviderEvent {
  if (reason === 'LOGOUT' || reason === 'UNPAIRED' || reason === 'UNPAIRED_IDLE') return { type: 'logged-out', reason };
  if (reason === 'CONFLICT') return { type: 'disconnected', reason: 'WhatsApp Web was opened elsewhere (CONFLICT)', retryable: false, action: 'yield' };
  return { type: 'disconnected', reason, retryable: true };
}
