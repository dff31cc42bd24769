import type { Types } from 'mongoose';
import type { DerivedUpdater } from './derived-updater';
import type { InboundWriter } from './inbound-writer';
import type { MessageEventStage } from './message-event-stage';

/** One company's ingest in this process: its writer (critical path) and its derived updates (after). */
export interface CompanyIngest {
  writer: InboundWriter;
  deriver: DerivedUpdater;
  /** Message events, logged beside the derived updates. */
  events: MessageEventStage;
  /** Whether this process keeps a watermark document for the company (it stored something). */
  watermarked: boolean;
}

/** The id below which every message of this process is stored and derived, if anything is pending. */
export function oldestPending(ingest: CompanyIngest): Types.ObjectId | undefined {
  const candidates = [ingest.writer.oldestPendingId(), ingest.deriver.oldestPendingId(), ingest.events.oldestPendingId()];
  let oldest: Types.ObjectId | undefined;
  for (const id of candidates) if (id && (!oldest || id.toHexString() < oldest.toHexString())) oldest = id;
  return oldest;
}
