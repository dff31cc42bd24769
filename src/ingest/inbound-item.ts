import type { Types } from 'mongoose';
import type { InboundMessage } from '../providers/provider-events';

export type IngestResult = 'stored' | 'duplicate' | 'rejected';

export interface IngestOutcome {
  result: IngestResult;
  /** Why a message was refused for good (it is kept in the dead letters). */
  reason?: string;
}

/** One message between its arrival and its durable write. */
export interface PendingMessage {
  /** Fixed at arrival, so the order of ids is the order of arrival: the derive watermark relies on it. */
  id: Types.ObjectId;
  session: string;
  message: InboundMessage;
  settle(outcome: IngestOutcome): void;
  fail(error: Error): void;
  /** Times the server refused this message alone for a reason that may pass (e.g. while shutting down). */
  documentFailures?: number;
}

/** A message durably stored, handed on for its chat and prospect updates. */
export interface DurableMessage {
  id: Types.ObjectId;
  session: string;
  message: InboundMessage;
  storedAt: number;
}
