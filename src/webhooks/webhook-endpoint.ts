import type { EventType } from '../events/event-types';

export const BREAKER_STATES = ['closed', 'half-open', 'open'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

/** What the dispatcher last reported about an endpoint (written with the cursor, at most once per batch). */
export interface DeliveryState {
  breaker: BreakerState;
  /** Events read and not yet delivered or dead-lettered. */
  pending: number;
  oldestPendingAt?: Date;
  lastDeliveredAt?: Date;
  lastFailureAt?: Date;
  lastError?: string;
  updatedAt: Date;
}

/** An endpoint as stored, secrets still sealed. */
export interface StoredEndpoint {
  id: string;
  url: string;
  /** null: every event type. */
  types: EventType[] | null;
  /** null: every session. */
  sessions: string[] | null;
  secret: string;
  previousSecret?: string;
  previousSecretUntil?: Date;
  /** Every event up to this log cursor is delivered, dead-lettered or filtered out. */
  cursor: number;
  createdAt: Date;
  updatedAt: Date;
  secretRotatedAt?: Date;
  delivery?: DeliveryState;
}

/** What the API shows: never a secret. */
export interface EndpointView {
  id: string;
  company: string;
  url: string;
  types: EventType[] | null;
  sessions: string[] | null;
  createdAt: Date;
  updatedAt: Date;
  secretRotatedAt?: Date;
  delivery: {
    cursor: number;
    breaker: BreakerState;
    pending: number;
    oldestPendingAt?: Date;
    lastDeliveredAt?: Date;
    lastFailureAt?: Date;
    lastError?: string;
    reportedAt?: Date;
  };
}

export function toView(company: string, endpoint: StoredEndpoint): EndpointView {
  const { delivery } = endpoint;
  return {
    id: endpoint.id,
    company,
    url: endpoint.url,
    types: endpoint.types,
    sessions: endpoint.sessions,
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
    ...(endpoint.secretRotatedAt ? { secretRotatedAt: endpoint.secretRotatedAt } : {}),
    delivery: {
      cursor: endpoint.cursor,
      breaker: delivery?.breaker ?? 'closed',
      pending: delivery?.pending ?? 0,
      ...(delivery?.oldestPendingAt ? { oldestPendingAt: delivery.oldestPendingAt } : {}),
      ...(delivery?.lastDeliveredAt ? { lastDeliveredAt: delivery.lastDeliveredAt } : {}),
      ...(delivery?.lastFailureAt ? { lastFailureAt: delivery.lastFailureAt } : {}),
      ...(delivery?.lastError ? { lastError: delivery.lastError } : {}),
      ...(delivery ? { reportedAt: delivery.updatedAt } : {}),
    },
  };
}
