import type { MessageRef, OutboundContent, OutboundFile, OutboundMediaFields } from '../providers/provider.port';

export const OUTBOUND_STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];

/** A stored message an outbound one quotes or reacts to: our id for it, and what the provider needs. */
export type StoredRef = MessageRef & { messageId: string };

/** Uploaded media as the outbox keeps it: its bytes are in the company's media store under `id`. */
export interface StoredUpload {
  id: string;
  size: number;
  sha256: string;
}

/** The content as the outbox keeps it: a reaction names its target by our id too; an upload names its stored bytes. */
export type StoredContent =
  | Exclude<OutboundContent, { kind: 'reaction' } | { file: OutboundFile }>
  | { kind: 'reaction'; emoji: string; target: StoredRef }
  | (OutboundMediaFields & { mimeType: string; upload: StoredUpload });

export type OutboundView = StoredContent & {
  id: string;
  session: string;
  to: string;
  replyTo?: StoredRef;
  status: OutboundStatus;
  attempts: number;
  providerMessageId?: string;
  reason?: string;
  idempotencyKey: string;
  createdAt: Date;
  updatedAt: Date;
};

/** Status only moves forward: an ack for `delivered` never undoes `read`. */
export const STATUS_RANK: Record<OutboundStatus, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/** What an Idempotency-Key may be. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;
