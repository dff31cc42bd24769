export const OUTBOUND_STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];

export interface OutboundView {
  id: string;
  session: string;
  to: string;
  text?: string;
  mediaUrl?: string;
  caption?: string;
  status: OutboundStatus;
  attempts: number;
  providerMessageId?: string;
  reason?: string;
  idempotencyKey: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Status only moves forward: an ack for `delivered` never undoes `read`. */
export const STATUS_RANK: Record<OutboundStatus, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };
