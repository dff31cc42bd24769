import { loadavg } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import { databaseConfig, type DatabaseConfig } from '../core/config/configuration';
import { Gauge } from 'prom-client';
import { DriverPoolMonitor } from '../core/database/driver-pool-monitor';
import { InboundIntake } from '../ingest/inbound-intake.service';
import { MetricsService } from '../metrics/metrics.service';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import { CompanyFigures } from './company-figures';
import { ProcessFigures } from './process-figures';
import { QueueDepthSources } from './queue-depth-sources';
import { StatsRecorder } from './stats-recorder';

/**
 * The stats figures Prometheus does not have yet (memory, heap, CPU time and event-loop lag come with the
 * default metrics, database gates with vv_tenant_*). Read at scrape time; database figures as last read,
 * so a scrape never waits on a database.
 */
@Injectable()
export class StatsMetrics {
  constructor(
    metrics: MetricsService,
    processFigures: ProcessFigures,
    figures: CompanyFigures,
    recorder: StatsRecorder,
    intake: InboundIntake,
    queues: QueueDepthSources,
    pool: TenantConnectionPool,
    driverPool: DriverPoolMonitor,
    @Inject(databaseConfig.KEY) database: DatabaseConfig,
  ) {
    const registers = [metrics.registry];
    const maxPoolSize = database.pool.maxPoolSize;
    new Gauge({
      name: 'vv_memory_limit_bytes',
      help: 'MEMORY_LIMIT_MB, the memory this process is sized for (thresholds are ratios of it)',
      registers,
      collect() {
        this.set(processFigures.read().memory.limitMB * 1_048_576);
      },
    });
    new Gauge({
      name: 'vv_cpu_usage_ratio',
      help: 'Process CPU time over wall time since the last stats sample (1 = one core busy)',
      registers,
      collect() {
        this.set(processFigures.read().cpu.percent / 100);
      },
    });
    new Gauge({
      name: 'vv_load_average',
      help: 'Host load average over 1, 5 and 15 minutes',
      labelNames: ['period'] as const,
      registers,
      collect() {
        const [one, five, fifteen] = loadavg();
        this.set({ period: '1m' }, one);
        this.set({ period: '5m' }, five);
        this.set({ period: '15m' }, fifteen);
      },
    });
    new Gauge({
      name: 'vv_db_pool_connections',
      help: "The shared cluster's driver pool in this process: open, in use, operations waiting for one, and the maximum",
      labelNames: ['kind'] as const,
      registers,
      collect() {
        const { open, inUse, waiting } = driverPool.snapshot();
        this.set({ kind: 'open' }, open);
        this.set({ kind: 'in_use' }, inUse);
        this.set({ kind: 'waiting' }, waiting);
        this.set({ kind: 'max' }, maxPoolSize);
      },
    });
    new Gauge({
      name: 'vv_db_dedicated_connections',
      help: 'Companies whose own cluster has a connection open in this process',
      registers,
      collect() {
        this.set(pool.dedicatedOpen());
      },
    });
    new Gauge({
      name: 'vv_company_sessions',
      help: 'Sessions of every process by company, provider and effective status (from the database, as last read)',
      labelNames: ['company', 'provider', 'status'] as const,
      registers,
      collect() {
        this.reset();
        for (const [company, stored] of figures.lastRead()) {
          for (const [provider, counts] of Object.entries(stored.sessions?.byProvider ?? {})) {
            for (const [status, n] of Object.entries(counts.byStatus)) this.set({ company, provider, status }, n);
          }
        }
      },
    });
    new Gauge({
      name: 'vv_queue_depth',
      help: 'Items waiting per company and queue: ingest (held in this process until durable), outbox (not settled, every process), webhooks (pending in this process)',
      labelNames: ['company', 'queue'] as const,
      registers,
      async collect() {
        this.reset();
        const held = intake.budgetSnapshot().byCompany;
        for (const [company, stored] of figures.lastRead()) {
          this.set({ company, queue: 'ingest' }, held[company] ?? 0);
          if (stored.outbox !== null) this.set({ company, queue: 'outbox' }, stored.outbox);
          for (const [queue, depth] of Object.entries(await queues.read(company))) if (depth !== null) this.set({ company, queue }, depth);
        }
      },
    });
    new Gauge({
      name: 'vv_messages_per_minute',
      help: 'Messages this process logged over the last 60 s, by company and direction (received, sent)',
      labelNames: ['company', 'direction'] as const,
      registers,
      collect() {
        this.reset();
        for (const company of figures.lastRead().keys()) {
          const rates = recorder.history.rates(company);
          this.set({ company, direction: 'received' }, rates.receivedPerMinute);
          this.set({ company, direction: 'sent' }, rates.sentPerMinute);
        }
      },
    });
  }
}
