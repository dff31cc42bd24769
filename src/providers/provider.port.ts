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

export const OUTBOUND_KINDS = ['text', 'image', 'video', 'audio', 'voice', 'document', 'sticker', 'location', 'contact', 'reaction', 'template'] as const;
/** What an outbound message is; `voice` is a voice note (ogg/opus, played as push-to-talk). */
export type OutboundKind = (typeof OUTBOUND_KINDS)[number];
export const OUTBOUND_MEDIA_KINDS = ['image', 'video', 'audio', 'voice', 'document', 'sticker'] as const;
export type OutboundMediaKind = (typeof OUTBOUND_MEDIA_KINDS)[number];

/**
 * What a provider can be asked for: each outbound kind, `reply` (quoting a stored message), `upload` (media sent
 * as bytes we hold rather than from a URL), and, beyond messages, `read` (mark a chat read), `typing` (a typing
 * indicator) and `contacts` (number checks, profiles).
 */
export type Capability = OutboundKind | 'reply' | 'upload' | 'read' | 'typing' | 'contacts';

/** A stored message an outbound one refers to (quotes or reacts to). */
export interface MessageRef {
  providerMessageId: string;
  /** Whether we sent it (its WhatsApp key says `fromMe`). */
  fromMe: boolean;
  /** Its text, when it had some: WhatsApp shows it in the quote. */
  text?: string;
}

/** Media uploaded to the API: its bytes, read back from the company's store just before the send. */
export interface OutboundFile {
  data: Buffer;
  mimeType: string;
}

export interface OutboundMediaFields {
  kind: OutboundMediaKind;
  caption?: string;
  fileName?: string;
  mimeType?: string;
}

export type OutboundContent =
  | { kind: 'text'; text: string }
  /** Fetched by the client (bounded in size and time, no private addresses), then sent as bytes. */
  | (OutboundMediaFields & { url: string })
  /** Uploaded to us; sent as these bytes (capability `upload`). */
  | (OutboundMediaFields & { file: OutboundFile })
  | { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { kind: 'contact'; name: string; phone: string }
  /** An empty `emoji` takes a reaction back. */
  | { kind: 'reaction'; emoji: string; target: MessageRef }
  /** Twilio Content API template: the SID and its numbered variables. */
  | { kind: 'template'; contentSid: string; variables?: Record<string, string> };

/** One outbound message: `to` in E.164 (or a provider's own user id), `replyTo` when it quotes a stored message. */
export type OutboundMessage = OutboundContent & { to: string; replyTo?: MessageRef };

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

/** A chat to mark read: the customer's latest messages in it, newest first, as the provider knows them. */
export interface ChatReadRequest {
  to: string;
  messages: Array<{ providerMessageId: string; from: string }>;
}

/** Whether a number has WhatsApp, and the ids WhatsApp knows it by. */
export interface NumberCheck {
  phone: string;
  exists: boolean;
  jid?: string;
  lid?: string;
}

export interface ContactProfile {
  name?: string;
  pictureUrl?: string;
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
  /** Sends read receipts for a chat (capability `read`); sending never does it by itself. */
  markRead?(request: ChatReadRequest): Promise<void>;
  /** Shows (or clears) "typing…" in a chat (capability `typing`). */
  sendTyping?(to: string, typing: boolean): Promise<void>;
  /** Asks WhatsApp whether numbers (E.164) have an account (capability `contacts`); callers cache and rate-limit. */
  checkNumbers?(phones: string[]): Promise<NumberCheck[]>;
  /** A contact's profile name and picture, as far as WhatsApp shows them (capability `contacts`). */
  profile?(phone: string): Promise<ContactProfile>;
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
  /** What its clients can do; the API refuses anything else (422) before queueing it. */
  abstract readonly capabilities: ReadonlySet<Capability>;

  /**
   * Whether free-form messages need the customer's last message within 24 hours (WhatsApp's customer service
   * window, which Twilio enforces with error 63016); outside it only templates go.
   */
  readonly needsOpenWindow: boolean = false;

  supports(capability: Capability): boolean {
    return this.capabilities.has(capability);
  }

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
