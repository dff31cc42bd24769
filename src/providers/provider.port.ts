import type { CompanyRecord, ProviderName } from '../tenancy/company';
import type { MediaSource, MediaType, ProviderEvent } from './provider-events';
import type { SessionFence } from './session-fence';

/** Everything an adapter needs to know about the session it runs. */
export interface SessionRef {
  company: CompanyRecord;
  /** Unique per company; also the `session.name` key of chats and messages. */
  name: string;
  /** Twilio only: the number or Messaging Service SID the session sends from, when not the account's default. */
  sender?: string;
  /** The lease this client runs under; auth-state writes carry its token. Absent only in tests. */
  fence?: SessionFence;
}

export interface OutboundText {
  to: string;
  text: string;
}

export interface OutboundMedia {
  to: string;
  mediaUrl: string;
  caption?: string;
}

export type OutboundMessage = OutboundText | OutboundMedia;

export interface SendResult {
  providerMessageId: string;
}

/** An inbound message's media to fetch, as its message was stored. */
export interface MediaDownloadRequest {
  providerMessageId: string;
  type: MediaType;
  mimeType: string;
  source: MediaSource;
}

export interface MediaDownloadLimits {
  maxBytes: number;
  timeoutMs: number;
}

export interface DownloadedMedia {
  data: Buffer;
  /** When the download tells it better than the message did. */
  mimeType?: string;
}

/**
 * One live connection to WhatsApp for one session. Created by a {@link ProviderAdapter}; reports what
 * happens through the `emit` callback it was created with. Implementations release every timer,
 * listener, socket and child process in `stop()` and `logout()`.
 */
export abstract class ProviderClient {
  /** Connects; resolves once the connection attempt is under way (QR, pairing, or ready follow as events). */
  abstract start(): Promise<void>;
  /** Disconnects and frees everything, keeping the auth state so the next start needs no new QR. */
  abstract stop(): Promise<void>;
  /** Ends the WhatsApp session for good and deletes its auth state. */
  abstract logout(): Promise<void>;
  abstract send(message: OutboundMessage): Promise<SendResult>;
  /** Asks for a pairing code for `phone` (E.164) instead of a QR; not every provider supports it. */
  abstract requestPairingCode(phone: string): Promise<string>;
  /** Fetches inbound media only the live connection can reach (`source.via: 'client'`), within the limits. */
  downloadMedia?(request: MediaDownloadRequest, limits: MediaDownloadLimits): Promise<DownloadedMedia>;
}

/**
 * How a client reports what happens. For `message` events the promise resolves once the message is
 * held by ingest's bounded buffer: at once while there is room, later when the company's buffer is
 * full. A client that can slow its source (pause a socket) waits for it before reading more; none may
 * drop a message because the promise is slow. It never rejects. Handling other events takes the
 * session's lock, which the caller of `start`, `stop` and `logout` holds: never await it inside them.
 */
export type EmitProviderEvent = (event: ProviderEvent) => Promise<void>;

/**
 * The port every provider implements (whatsapp-web, baileys, twilio, and the simulator), used as the
 * DI token: the session manager depends on this, never on a library.
 */
export abstract class ProviderAdapter {
  abstract readonly name: ProviderName | 'simulator';
  abstract createClient(session: SessionRef, emit: EmitProviderEvent): ProviderClient;
  /** Fetches inbound media without a live client (provider URLs, WhatsApp's media servers), within the limits. */
  downloadMedia?(session: SessionRef, request: MediaDownloadRequest, limits: MediaDownloadLimits): Promise<DownloadedMedia>;
}

/** Raised by adapters for operations their provider does not offer (e.g. pairing codes on Twilio). */
export class ProviderOperationUnsupportedError extends Error {
  constructor(provider: string, operation: string) {
    super(`${provider} does not support ${operation}`);
  }
}
