import type { DriverPoolFigures } from '../core/database/driver-pool-monitor';
import type { SessionCounts } from './company-figures';
import type { HistorySeries, MessageRates } from './minute-history';
import type { ProcessFiguresView } from './process-figures';
import type { QueueDepths } from './stats-recorder';

/** Whose figures an answer holds: every company (admin) or one. */
export type StatsScope = { kind: 'admin'; company?: string } | { kind: 'company'; company: string };

export interface CompanyStats {
  company: string;
  displayName: string;
  provider: string;
  /** Every process's sessions (from the database, cached); null when it could not be read. */
  sessions: SessionCounts | null;
  /** The company's database operation gate in this process. */
  pool: { active: number; queued: number; limit: number; rejected: number; saturation: number; dedicated: boolean };
  queues: QueueDepths;
  /** Messages this process logged for the company. */
  messages: MessageRates;
  /** When the database figures were read. */
  readAt: string;
}

export interface StatsView {
  at: string;
  scope: StatsScope;
  /** This process: memory, CPU, event-loop delay. */
  process: ProcessFiguresView;
  /** The shared cluster's driver pool and own-cluster connections of this process; admin only. */
  database?: { pool: DriverPoolFigures & { max: number }; dedicatedConnections: number };
  companies: CompanyStats[];
  totals: { sessions: SessionCounts; queues: Record<string, number>; messages: MessageRates };
}

export interface StatsHistoryView extends HistorySeries {
  scope: StatsScope;
  /** Minutes are epoch milliseconds of each minute's start. */
  sampleIntervalMs: number;
}
