import type { DeliveryStatus, MediaType, MessageExtras } from '../providers/provider-events';

export const MEDIA_STATUSES = ['pending', 'stored', 'failed', 'refused'] as const;
/** pending: to download; stored: served by the media route; failed: not fetched after the tries; refused: too large or over quota. */
export type MediaStatus = (typeof MEDIA_STATUSES)[number];

/** The media of a stored message. Inbound media carries its download `status`; media we sent by URL keeps the `url`. */
export interface StoredMedia {
  type: MediaType;
  mimeType: string;
  size?: number;
  caption?: string;
  fileName?: string;
  status?: MediaStatus;
  /** Hex SHA-256 of the bytes, once stored. */
  sha256?: string;
  /** Why it failed or was refused. */
  reason?: string;
  url?: string;
}

export interface StoredMessage extends MessageExtras {
  id: string;
  session: string;
  providerMessageId: string;
  direction: 'inbound' | 'outbound';
  /** The other party (E.164): the chat this message belongs to. */
  phone: string;
  from: string;
  to: string;
  text?: string;
  media?: StoredMedia;
  timestamp: Date;
  status?: DeliveryStatus;
  /** The name the sender showed, when the provider told. */
  senderName?: string;
}

export interface ChatView {
  phone: string;
  session: string;
  lastMessage?: { text?: string; direction: 'inbound' | 'outbound'; at: Date };
  lastMessageAt?: Date;
  /** When the customer last wrote (WhatsApp's 24-hour customer service window runs from it). */
  lastInboundAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
