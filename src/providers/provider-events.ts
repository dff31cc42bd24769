/** What every provider adapter reports, in our words; adapters translate library events into these and nothing else. */

export const MEDIA_TYPES = ['image', 'video', 'audio', 'voice', 'document', 'sticker'] as const;
/** What a media message is; `voice` is a voice note (push-to-talk audio). */
export type MediaType = (typeof MEDIA_TYPES)[number];

/**
 * How to fetch an inbound message's bytes later, once the message is stored: kept with the stored message (so a
 * download can be retried after a restart), never shown through the API.
 */
export type MediaSource =
  /** A provider URL (Twilio's MediaUrl, fetched with the account's credentials). */
  | { via: 'url'; url: string }
  /** WhatsApp's encrypted media (Baileys): its path on WhatsApp's media servers, the key (base64) and the hashes to check. */
  | { via: 'whatsapp'; directPath: string; mediaKey: string; fileEncSha256?: string; fileSha256?: string }
  /** Only the live client can fetch it (whatsapp-web.js, the simulator), by the message's provider id. */
  | { via: 'client' };

export interface MediaDescriptor {
  type: MediaType;
  /** MIME type as the provider gave it, e.g. `image/jpeg`. */
  mimeType: string;
  fileName?: string;
  sizeBytes?: number;
  caption?: string;
  /** Absent when the provider gives no way to fetch the bytes. */
  source?: MediaSource;
  /** Media we sent by URL (recorded by the outbox): kept as a reference, not fetched again. */
  url?: string;
}

/** What a message carries besides text and media (for now: what we send; inbound mapping may add them). */
export interface MessageExtras {
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  contact?: { name: string; phone: string };
  /** A reaction to another message of the chat, by its provider id; an empty emoji takes it back. */
  reaction?: { emoji: string; providerMessageId: string };
  /** The message this one quotes, by its provider id. */
  quotedProviderMessageId?: string;
  /** A Twilio Content template. */
  template?: { contentSid: string; variables?: Record<string, string> };
}

export const MESSAGE_EXTRAS = ['location', 'contact', 'reaction', 'quotedProviderMessageId', 'template'] as const satisfies ReadonlyArray<keyof MessageExtras>;

export interface InboundMessage extends MessageExtras {
  /** The provider's own id for the message: the exactly-once key, with the session name. */
  providerMessageId: string;
  /** Sender, E.164 when it is a phone number (adapters normalise WhatsApp ids and `whatsapp:` prefixes). */
  from: string;
  /** Our side (the session's number), E.164 when known. */
  to: string;
  text?: string;
  media?: MediaDescriptor;
  timestamp: Date;
  /** Display name the sender shows, when the provider tells. */
  senderName?: string;
  /**
   * Sent by this account itself from another device (typed on the phone): `from` is our number, `to`
   * the other party, and the message joins that conversation as outbound.
   */
  fromMe?: boolean;
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

export type ProviderEvent =
  | { type: 'qr'; qr: string }
  | { type: 'pairing-code'; code: string }
  | { type: 'authenticated' }
  | { type: 'ready'; phone?: string }
  | { type: 'message'; message: InboundMessage }
  | { type: 'status'; providerMessageId: string; status: DeliveryStatus; reason?: string; at: Date }
  /** `action`: 'restart-now' restarts without backoff (Baileys 515); 'yield' gives the device up to another connection (440, CONFLICT). */
  | { type: 'disconnected'; reason: string; retryable: boolean; action?: 'restart-now' | 'yield' }
  | { type: 'logged-out'; reason?: string }
  /** WhatsApp told which phone number is behind privacy ids (`…@lid`): kept per company, used to file and to answer. */
  | { type: 'contact-ids'; mappings: LidMapping[] };

export interface LidMapping {
  /** `<digits>@lid` */
  lid: string;
  /** E.164 */
  phone: string;
}

export type ProviderEventType = ProviderEvent['type'];
