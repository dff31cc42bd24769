import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import { BatchQueue, type Outcome } from '../core/batching/batch-queue';
import { ingestConfig, type IngestConfig } from '../core/config/configuration';
import { ErrorCode } from '../core/http/error-code';
import { MetricsService } from '../metrics/metrics.service';
import type { CompanyRecord } from '../tenancy/company';
import { TenancyException } from '../tenancy/tenancy.exception';
import type { TenantContext } from '../tenancy/tenant-context';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import type { ProspectUpsert, UpsertResult } from './prospect';
import { ProspectWriter } from './prospect-writer';
import { ProspectsRepository } from './prospects.repository';

const isTransient = (error: unknown) =>
  error instanceof TenancyException && (error.code === ErrorCode.TENANT_BUSY || error.code === ErrorCode.TENANT_UNAVAILABLE);

/**
 * The single path by which prospects are created or updated. One bounded queue per company, so a
 * slow tenant backs up only its own callers; a busy or briefly unreachable tenant database is
 * retried with backoff before any caller sees an error. Pending writes are flushed on shutdown.
 */
@Injectable()
export class ProspectUpsertBatcher implements BeforeApplicationShutdown {
  private readonly queues = new Map<string, BatchQueue<ProspectUpsert, UpsertResult>>();
  private readonly writer: ProspectWriter;
  private readonly transientRetry: RetryPolicy;

  constructor(
    private readonly pool: TenantConnectionPool,
    repository: ProspectsRepository,
    @Inject(ingestConfig.KEY) private readonly config: IngestConfig,
    private readonly metrics: MetricsService,
  ) {
    this.writer = new ProspectWriter(repository, { retries: config.writeRetries, idCacheSize: config.idCacheSize });
    this.transientRetry = retry(handleWhen(isTransient), {
      maxAttempts: 5,
      backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 5_000 }),
    });
  }

  /** Resolves once this upsert is durable, with whether it created the prospect. */
  upsert(company: CompanyRecord, upsert: ProspectUpsert): Promise<UpsertResult> {
    return this.queueFor(company).add(upsert);
  }

  /** Writes upserts that the caller already coalesced, now, through the same writer (and its id cache). */
  writeNow(company: CompanyRecord, upserts: ProspectUpsert[]): Promise<Outcome<UpsertResult>[]> {
    return this.writeBatch(this.pool.contextFor(company), upserts);
  }

  async flushAll(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.drain()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flushAll();
  }

  private async writeBatch(tenant: TenantContext, items: ProspectUpsert[]): Promise<Outcome<UpsertResult>[]> {
    const company = tenant.company.slug;
    const stopTimer = this.metrics.prospectBatchSeconds.startTimer({ company });
    try {
      const outcomes = await this.transientRetry.execute(() => this.writer.write(tenant, items));
      for (const outcome of outcomes) this.metrics.prospectUpserts.inc({ company, result: outcome.ok ? outcome.value : 'failed' });
      return outcomes;
    } finally {
      stopTimer();
    }
  }

  private queueFor(company: CompanyRecord): BatchQueue<ProspectUpsert, UpsertResult> {
    let queue = this.queues.get(company.slug);
    if (!queue) {
      const tenant = this.pool.contextFor(company);
      queue = new BatchQueue({ maxBatchSize: this.config.batchSize, maxWaitMs: this.config.batchIntervalMs, maxPending: this.config.bufferLimit }, (items) =>
        this.writeBatch(tenant, items),
      );
      this.queues.set(company.slug, queue);
    }
    return queue;
  }
}
