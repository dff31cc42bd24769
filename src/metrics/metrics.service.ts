import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { EVENT_LOOP_RESOLUTION_MS } from '../core/process/event-loop-resolution';
import { CommandMonitor } from '../core/database/command-monitor';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';

export interface SessionGaugeEntry {
  company: string;
  provider: string;
  status: string;
}

export interface IngestSnapshot {
  total: number;
  waiting: number;
  byCompany: Record<string, number>;
  limits: { perCompany: number; global: number };
  /** Per company with a write under way: how long (s) its batch has been trying to become durable. */
  writeAgeSeconds: Record<string, number>;
}

/** The Prometheus registry and the service's own metrics; tenant gauges are read at scrape time. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly prospectUpserts = new Counter({
    name: 'vv_prospect_upserts_total',
    help: 'Prospect upserts settled, by company and result',
    labelNames: ['company', 'result'] as const,
    registers: [this.registry],
  });

  readonly prospectBatchSeconds = new Histogram({
    name: 'vv_prospect_batch_write_seconds',
    help: 'Time to write one prospect batch',
    labelNames: ['company'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly inboundMessages = new Counter({
    name: 'vv_inbound_messages_total',
    help: 'Inbound messages by company and result (stored, duplicate redelivery, failed)',
    labelNames: ['company', 'result'] as const,
    registers: [this.registry],
  });

  readonly inboundRefused = new Counter({
    name: 'vv_inbound_refused_total',
    help: 'Inbound deliveries refused with 503 for the source to redeliver, by company and reason (overloaded, not-durable)',
    labelNames: ['company', 'reason'] as const,
    registers: [this.registry],
  });

  readonly deriveLagSeconds = new Histogram({
    name: 'vv_ingest_derive_lag_seconds',
    help: 'From a message being durable to its chat and prospect updates being written',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  private ingestSnapshot?: () => IngestSnapshot;

  readonly ingestBuffered = new Gauge({
    name: 'vv_ingest_buffered_messages',
    help: 'Inbound messages held in memory until durable, by company ("*" is the total, limit the bound)',
    labelNames: ['company', 'kind'] as const,
    registers: [this.registry],
    collect: () => {
      const snapshot = this.ingestSnapshot?.();
      this.ingestBuffered.reset();
      if (!snapshot) return;
      this.ingestBuffered.set({ company: '*', kind: 'held' }, snapshot.total);
      this.ingestBuffered.set({ company: '*', kind: 'limit' }, snapshot.limits.global);
      this.ingestBuffered.set({ company: '*', kind: 'waiting-sources' }, snapshot.waiting);
      for (const [company, held] of Object.entries(snapshot.byCompany)) this.ingestBuffered.set({ company, kind: 'held' }, held);
    },
  });

  readonly ingestWriteAge = new Gauge({
    name: 'vv_ingest_write_age_seconds',
    help: 'How long the inbound batch being written has been trying to become durable, by company (absent when none is)',
    labelNames: ['company'] as const,
    registers: [this.registry],
    collect: () => {
      this.ingestWriteAge.reset();
      for (const [company, seconds] of Object.entries(this.ingestSnapshot?.().writeAgeSeconds ?? {})) this.ingestWriteAge.set({ company }, seconds);
    },
  });

  private sessionsSnapshot?: () => SessionGaugeEntry[];

  /** The session manager registers how to read its sessions at scrape time (it depends on metrics, not the reverse). */
  observeSessions(snapshot: () => SessionGaugeEntry[]): void {
    this.sessionsSnapshot = snapshot;
  }

  /** Ingest registers how to read its memory budget at scrape time. */
  observeIngest(snapshot: () => IngestSnapshot): void {
    this.ingestSnapshot = snapshot;
  }

  readonly outboundMessages = new Counter({
    name: 'vv_outbound_messages_total',
    help: 'Outbound send attempts by company and result (sent, retry, deferred, failed)',
    labelNames: ['company', 'result'] as const,
    registers: [this.registry],
  });

  readonly dbCommands = new Counter({
    name: 'vv_db_commands_total',
    help: 'Database commands sent on every connection, by command name (only while MONGODB_MONITOR_COMMANDS is on)',
    labelNames: ['command'] as const,
    registers: [this.registry],
  });

  constructor(pool: TenantConnectionPool, monitor: CommandMonitor) {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_RESOLUTION_MS });
    monitor.subscribe((event) => this.dbCommands.inc({ command: event.commandName }));
    const gauge = (name: string, help: string, read: (s: ReturnType<TenantConnectionPool['gateSnapshot']>[number]) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['company'] as const,
        registers: [this.registry],
        collect() {
          this.reset();
          for (const stats of pool.gateSnapshot()) this.set({ company: stats.company }, read(stats));
        },
      });
    const sessions = () => this.sessionsSnapshot?.() ?? [];
    new Gauge({
      name: 'vv_sessions',
      help: 'Sessions this process runs (owns a lease for), by company, provider and status',
      labelNames: ['company', 'provider', 'status'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const session of sessions()) this.inc(session);
      },
    });
    gauge('vv_tenant_db_operations_active', 'Database operations running per company', (s) => s.active);
    gauge('vv_tenant_db_operations_queued', 'Database operations waiting for a slot per company', (s) => s.queued);
    gauge('vv_tenant_db_operations_limit', 'Concurrent database operation cap per company', (s) => s.limit);
    gauge('vv_tenant_db_operations_rejected', 'Operations turned away (TENANT_BUSY) since start, per company', (s) => s.rejected);
  }
}
