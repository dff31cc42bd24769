import { toE164 } from '../../prospects/phone-number';
import type { DeliveryStatus, InboundMessage, MediaType, ProviderEvent } from '../provider-events';

/** A webhook's form fields as the body parser gives them (repeated keys become arrays). */
export type TwilioWebhookForm = Record<string, unknown>;

export type TwilioWebhookMapping =
  /** `messagingServiceSid`: the Messaging Service that received an inbound message, when one did. */
  | { ok: true; event: ProviderEvent; messagingServiceSid?: string }
  /** A callback we acknowledge but do not report, e.g. `queued`: the port has no such status. */
  | { ok: true; event: null; ignored: string }
  | { ok: false; reason: string };

export interface TwilioMappingOptions {
  defaultRegion: string;
  receivedAt: Date;
}

const STATUS_BY_TWILIO: Readonly<Record<string, DeliveryStatus>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  undelivered: 'failed',
  canceled: 'failed',
};

const NOT_YET_SENT = new Set(['accepted', 'scheduled', 'queued', 'sending']);

/** Twilio also posts `MessageStatus=received` for inbound messages; those are messages, not receipts. */
const INBOUND_STATUSES = new Set(['received', 'receiving']);

/** Turns one Twilio messaging webhook (inbound message or status callback) into our event. */
export function mapTwilioWebhook(form: TwilioWebhookForm, options: TwilioMappingOptions): TwilioWebhookMapping {
  const sid = field(form, 'MessageSid');
  const status = field(form, 'MessageStatus')?.toLowerCase();
  if (status !== undefined && !INBOUND_STATUSES.has(status)) return mapStatus(sid, status, form, options.receivedAt);
  return mapInbound(sid, form, options);
}

function mapStatus(sid: string | undefined, twilioStatus: string, form: TwilioWebhookForm, at: Date): TwilioWebhookMapping {
  if (!sid) return { ok: false, reason: 'missing MessageSid' };
  const status = STATUS_BY_TWILIO[twilioStatus];
  if (!status) {
    const why = NOT_YET_SENT.has(twilioStatus) ? 'not yet sent' : 'unknown status';
    return { ok: true, event: null, ignored: `${why}: ${twilioStatus}` };
  }
  const reason = status === 'failed' ? { reason: failureReason(twilioStatus, form) } : {};
  return { ok: true, event: { type: 'status', providerMessageId: sid, status, at, ...reason } };
}

function failureReason(twilioStatus: string, form: TwilioWebhookForm): string {
  const code = field(form, 'ErrorCode');
  const message = field(form, 'ErrorMessage');
  const detail = [code && `error ${code}`, message].filter(Boolean).join(': ');
  return detail ? `${twilioStatus} (${detail})` : twilioStatus;
}

function mapInbound(sid: string | undefined, form: TwilioWebhookForm, options: TwilioMappingOptions): TwilioWebhookMapping {
  const from = field(form, 'From');
  if (!sid || !from) return { ok: false, reason: `missing ${[!sid && 'MessageSid', !from && 'From'].filter(Boolean).join(' and ')}` };
  const message: InboundMessage = {
    providerMessageId: sid,
    from: phone(from, options.defaultRegion),
    to: phone(field(form, 'To') ?? '', options.defaultRegion),
    timestamp: options.receivedAt,
  };
  const body = field(form, 'Body');
  if (body) message.text = body;
  const mediaUrl = field(form, 'MediaUrl0');
  if (Number(field(form, 'NumMedia') ?? 0) > 0 && mediaUrl) {
    const mimeType = field(form, 'MediaContentType0') ?? 'application/octet-stream';
    message.media = { type: mediaTypeOf(mimeType), mimeType, source: { via: 'url', url: mediaUrl } };
    if (body) message.media.caption = body;
  }
  const senderName = field(form, 'ProfileName');
  if (senderName) message.senderName = senderName;
  const messagingServiceSid = field(form, 'MessagingServiceSid');
  return { ok: true, event: { type: 'message', message }, ...(messagingServiceSid ? { messagingServiceSid } : {}) };
}

/** Twilio names only the MIME type; WhatsApp voice notes arrive as `audio/ogg`. */
export function mediaTypeOf(mimeType: string): MediaType {
  const [major, minor = ''] = mimeType.toLowerCase().split(';')[0].trim().split('/');
  if (major === 'image') return minor === 'webp' ? 'sticker' : 'image';
  if (major === 'video') return 'video';
  if (major === 'audio') return minor === 'ogg' ? 'voice' : 'audio';
  return 'document';
}

/** E.164 when it parses; otherwise the address without its channel prefix, so nothing is dropped. */
function phone(address: string, defaultRegion: string): string {
  const parsed = toE164(address, defaultRegion);
  return parsed.ok ? parsed.e164 : address.replace(/^whatsapp:/, '');
}

function field(form: TwilioWebhookForm, name: string): string | undefined {
  const value = form[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
