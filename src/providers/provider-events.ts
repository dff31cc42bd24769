/** What every provider adapter reports, in our words; adapters translate library events into these and nothing else. */

export interface MediaDescriptor {
  /** MIME type as the provider gave it, e.g. `image/jpeg`. */
  mimeType: string;
  /** Where to fetch it (a provider URL), when the provider gives one. */
  url?: string;
  fileName?: string;
  sizeBytes?: number;
}

export interface InboundMessage {
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
  | { type: 'logged-out'; reason?: string };

export type ProviderEventType = ProviderEvent['type'];
