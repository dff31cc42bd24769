import {
  DisconnectReason,
  normalizeMessageContent,
  proto,
  toNumber,
  type BaileysEventMap,
  type ConnectionState,
  type WAMessage,
  type WAMessageUpdate,
} from '@whiskeysockets/baileys';
import type { DeliveryStatus, InboundMessage, MediaDescriptor, MediaType, ProviderEvent } from '../provider-events';
import { isIgnoredChat, otherPartyOf, phoneOfJid } from './baileys-jid';

type StatusEvent = Extract<ProviderEvent, { type: 'status' }>;

const Status = proto.WebMessageInfo.Status;

const DELIVERY_STATUS: Partial<Record<number, DeliveryStatus>> = {
  [Status.SERVER_ACK]: 'sent',
  [Status.DELIVERY_ACK]: 'delivered',
  [Status.READ]: 'read',
  [Status.PLAYED]: 'read',
  [Status.ERROR]: 'failed',
};

/** QR, open and close of the socket, in our words; `connecting` and other fields say nothing new. */
export function connectionEventsOf(update: Partial<ConnectionState>, ownJid: string | undefined): ProviderEvent[] {
  const events: ProviderEvent[] = [];
  if (update.qr) events.push({ type: 'qr', qr: update.qr });
  if (update.connection === 'open') {
    events.push({ type: 'authenticated' }, { type: 'ready', phone: phoneOfJid(ownJid) });
  }
  if (update.connection === 'close') {
    const error = update.lastDisconnect?.error;
    const code = statusCodeOf(error);
    const reason = error ? `${error.message}${code === undefined ? '' : ` (${code})`}` : 'connection closed';
    events.push(closeEventOf(code, reason));
  }
  return events;
}

/**
 * A socket close, classified by WhatsApp's code: 401 logged out; 403 banned, 411 and 500 terminal (failed,
 * never retried); 440 another connection took the device over (yield, never fight it); 515 restart at once
 * (after pairing); anything else (408, 428, 503, no code) may recover with a reconnect.
 */
export function closeEventOf(code: number | undefined, reason: string): ProviderEvent {
  switch (code) {
    case DisconnectReason.loggedOut:
      return { type: 'logged-out', reason };
    case DisconnectReason.forbidden:
      return { type: 'disconnected', reason: `banned by WhatsApp: ${reason}`, retryable: false };
    case DisconnectReason.multideviceMismatch:
    case DisconnectReason.badSession:
      return { type: 'disconnected', reason, retryable: false };
    case DisconnectReason.connectionReplaced:
      return { type: 'disconnected', reason: `replaced by another connection: ${reason}`, retryable: false, action: 'yield' };
    case DisconnectReason.restartRequired:
      return { type: 'disconnected', reason, retryable: true, action: 'restart-now' };
    default:
      return { type: 'disconnected', reason, retryable: true };
  }
}

/**
 * The one-to-one messages of an upsert: `notify` (live) and `append` (delivered while the socket was down;
 * a buffered flush labels a whole batch with its first item's type). Our own messages typed on another
 * device come as `fromMe` (from us to the other party). Groups, broadcasts, status, channels and
 * protocol or system entries are skipped; history sync is off, so no upsert carries old history.
 */
export function messagesOfUpsert(upsert: BaileysEventMap['messages.upsert'], ownJid: string | undefined): InboundMessage[] {
  if (upsert.type !== 'notify' && upsert.type !== 'append') return [];
  const own = phoneOfJid(ownJid) ?? '';
  const messages: InboundMessage[] = [];
  for (const message of upsert.messages) {
    const mapped = messageOf(message, own);
    if (mapped) messages.push(mapped);
  }
  return messages;
}

export function statusEventsOf(updates: WAMessageUpdate[], at = new Date()): StatusEvent[] {
  const events: StatusEvent[] = [];
  for (const { key, update } of updates) {
    const status = update.status === undefined || update.status === null ? undefined : DELIVERY_STATUS[update.status];
    if (!key.id || !status) continue;
    events.push({ type: 'status', providerMessageId: key.id, status, at });
  }
  return events;
}

function messageOf(message: WAMessage, own: string): InboundMessage | undefined {
  const { key } = message;
  if (!key.id || isIgnoredChat(key.remoteJid)) return undefined;
  const other = otherPartyOf(key);
  const content = normalizeMessageContent(message.message);
  if (!other || !content) return undefined;
  const text = textOf(content);
  const media = mediaOf(content);
  if (text === undefined && media === undefined) return undefined;
  const fromMe = key.fromMe === true;
  const mapped: InboundMessage = {
    providerMessageId: key.id,
    from: fromMe ? own : other,
    to: fromMe ? other : own,
    timestamp: message.messageTimestamp ? new Date(toNumber(message.messageTimestamp) * 1000) : new Date(),
  };
  if (text !== undefined) mapped.text = text;
  if (media) mapped.media = media;
  // On our own messages the push name is ours, not the contact's.
  if (fromMe) mapped.fromMe = true;
  else if (message.pushName) mapped.senderName = message.pushName;
  return mapped;
}

function textOf(content: proto.IMessage): string | undefined {
  const text =
    content.conversation ??
    content.extendedTextMessage?.text ??
    content.imageMessage?.caption ??
    content.videoMessage?.caption ??
    content.documentMessage?.caption;
  return text ?? undefined;
}

type MediaMessage = proto.Message.IImageMessage &
  proto.Message.IVideoMessage &
  proto.Message.IAudioMessage &
  proto.Message.IDocumentMessage &
  proto.Message.IStickerMessage;

/** The media of a message, with what a later download needs (WhatsApp's path, the key and hashes). */
export function mediaOf(content: proto.IMessage): MediaDescriptor | undefined {
  const found = mediaMessageOf(content);
  if (!found?.media.mimetype) return undefined;
  const { type, media } = found;
  const descriptor: MediaDescriptor = { type, mimeType: media.mimetype! };
  if (media.fileName) descriptor.fileName = media.fileName;
  if (media.caption) descriptor.caption = media.caption;
  if (media.fileLength !== undefined && media.fileLength !== null) descriptor.sizeBytes = toNumber(media.fileLength);
  if (media.directPath && media.mediaKey?.length) {
    descriptor.source = { via: 'whatsapp', directPath: media.directPath, mediaKey: base64(media.mediaKey)! };
    const fileEncSha256 = base64(media.fileEncSha256);
    const fileSha256 = base64(media.fileSha256);
    if (fileEncSha256) descriptor.source.fileEncSha256 = fileEncSha256;
    if (fileSha256) descriptor.source.fileSha256 = fileSha256;
  }
  return descriptor;
}

function mediaMessageOf(content: proto.IMessage): { type: MediaType; media: MediaMessage } | undefined {
  if (content.imageMessage) return { type: 'image', media: content.imageMessage as MediaMessage };
  if (content.videoMessage) return { type: 'video', media: content.videoMessage as MediaMessage };
  if (content.audioMessage) return { type: content.audioMessage.ptt ? 'voice' : 'audio', media: content.audioMessage as MediaMessage };
  if (content.documentMessage) return { type: 'document', media: content.documentMessage as MediaMessage };
  if (content.stickerMessage) return { type: 'sticker', media: content.stickerMessage as MediaMessage };
  return undefined;
}

function base64(bytes: Uint8Array | null | undefined): string | undefined {
  return bytes && bytes.length > 0 ? Buffer.from(bytes).toString('base64') : undefined;
}

function statusCodeOf(error: Error | undefined): number | undefined {
  const output = (error as { output?: { statusCode?: unknown } } | undefined)?.output;
  return typeof output?.statusCode === 'number' ? output.statusCode : undefined;
}
