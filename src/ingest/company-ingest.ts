import type { Types } from 'mongoose';
import type { DerivedUpdater } from './derived-updater';
import type { InboundWriter } from './inbound-writer';

/** One company's ingest in this process: its writer (critical path) and its derived updates (after). */
export interface CompanyIngest {
  writer: InboundWriter;
  deriver: DerivedUpdater;
  /** Whether this process keeps a watermark document for the company (it stored something). */
  watermarked: boolean;
}

/** The id below which every message of this process is stored and derived, if anything is pending. */
export function oldestPending(ingest: CompanyIngest): Types.ObjectId | undefined {
  const a = ingest.writer.oldestPendingId();
  const b = ingest.deriver.oldestPendingId();
  if (!a) return b;
  if (!b) return a;
  return a.toHexString() <= b.toHexString() ? a : b;
}
