import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { SessionManager } from '../sessions/session-manager.service';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';

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

  readonly outboundMessages = new Counter({
    name: 'vv_outbound_messages_total',
    help: 'Outbound send attempts by company and result (sent, retry, deferred, failed)',
    labelNames: ['company', 'result'] as const,
    registers: [this.registry],
  });

  constructor(pool: TenantConnectionPool, sessions: SessionManager) {
    collectDefaultMetrics({ register: this.registry });
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
    new Gauge({
      name: 'vv_sessions',
      help: 'Sessions this process runs (owns a lease for), by company, provider and status',
      labelNames: ['company', 'provider', 'status'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const runtime of sessions.active()) this.inc({ company: runtime.ref.company.slug, provider: runtime.provider, status: runtime.status });
      },
    });
    gauge('vv_tenant_db_operations_active', 'Database operations running per company', (s) => s.active);
    gauge('vv_tenant_db_operations_queued', 'Database operations waiting for a slot per company', (s) => s.queued);
    gauge('vv_tenant_db_operations_limit', 'Concurrent database operation cap per company', (s) => s.limit);
    gauge('vv_tenant_db_operations_rejected', 'Operations turned away (TENANT_BUSY) since start, per company', (s) => s.rejected);
  }
}
