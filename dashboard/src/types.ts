/** The parts of the service's answers the dashboard reads (the server's own types stay on the server). */

export type Scope = { kind: 'admin'; company?: string } | { kind: 'company'; company: string };

export interface StatusCounts {
  total: number;
  byStatus: Record<string, number>;
}

export interface CompanyStats {
  company: string;
  displayName: string;
  provider: string;
  sessions: (StatusCounts & { byProvider: Record<string, StatusCounts> }) | null;
  pool: { active: number; queued: number; limit: number; saturation: number };
  queues: Record<string, number | null>;
  messages: { receivedPerMinute: number; sentPerMinute: number; receivedLastHour: number; sentLastHour: number };
}

export interface StatsView {
  scope: Scope;
  process: {
    memory: { rssMB: number; heapUsedMB: number; heapTotalMB: number; limitMB: number; rssPercent: number };
    cpu: { percent: number; cores: number; loadAverage: Record<'1m' | '5m' | '15m', number> };
    eventLoop: { p50Ms: number; p99Ms: number; maxMs: number };
    uptimeSeconds: number;
  };
  database?: { pool: { open: number; inUse: number; waiting: number; max: number }; dedicatedConnections: number };
  companies: CompanyStats[];
}

export interface HistoryView {
  minutes: number[];
  received: number[];
  sent: number[];
  rssMB: Array<number | null>;
  heapUsedMB: Array<number | null>;
  loopDelayP99Ms: Array<number | null>;
  queueDepth: Array<number | null>;
}

export interface SessionView {
  name: string;
  provider: string;
  status: string;
  reason?: string;
  owner: string | null;
  phone?: string;
}

export interface LoggedEvent {
  id: string;
  cursor: number;
  type: string;
  company: string;
  session?: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export interface HealthEntry {
  status: 'up' | 'down' | 'degraded' | string;
  database?: string;
  pingMs?: number;
  reason?: string;
  pool?: { saturation: number };
}

export interface HealthReport {
  status: string;
  details: Record<string, HealthEntry>;
}
