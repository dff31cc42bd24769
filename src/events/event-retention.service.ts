import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CompaniesService } from '../tenancy/companies.service';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import type { TenantContext } from '../tenancy/tenant-context';
import { eventsConfig, type EventsConfig } from './events.config';
import { EventLog } from './event-log.service';
import { EventPageRepository } from './event-page.repository';

/**
 * Keeps each company's log within its retention: pages older than it are dropped from the front, never
 * the last page (appends continue after it). Pages are in time order, so the first page to keep is found
 * by a binary search over page numbers.
 */
@Injectable()
export class EventRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventRetention.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly companies: CompaniesService,
    private readonly pool: TenantConnectionPool,
    private readonly pages: EventPageRepository,
    private readonly log: EventLog,
    @Inject(eventsConfig.KEY) private readonly config: EventsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.retentionSweepMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** One pass over every company; a failure for one is logged and retried at the next pass. */
  sweep(now = new Date()): Promise<void> {
    this.sweeping ??= this.sweepAll(now).finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweepAll(now: Date): Promise<void> {
    const cutoff = new Date(now.getTime() - this.config.retentionMs);
    for (const company of await this.companies.listRecent().catch(() => [])) {
      try {
        const tenant = this.pool.contextFor(company);
        const last = await this.log.tipOf(company).latest();
        const keepFrom = await this.firstPageAtOrAfter(tenant, cutoff, last);
        if (keepFrom <= (await this.pages.floor(tenant))) continue;
        const dropped = await this.pages.dropBelow(tenant, keepFrom);
        this.logger.log({ company: company.slug, dropped, floor: keepFrom }, 'event log pages past retention dropped');
      } catch (error) {
        this.logger.warn({ company: company.slug, err: (error as Error).message }, 'event retention sweep failed');
      }
    }
  }

  /** The first page written at or after `cutoff`, or the last page when every page is older. */
  private async firstPageAtOrAfter(tenant: TenantContext, cutoff: Date, last: number): Promise<number> {
    let low = await this.pages.floor(tenant);
    let high = last;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      const page = await this.pages.get(tenant, middle);
      if (page && page.at < cutoff) low = middle + 1;
      else high = middle;
    }
    return Math.max(low, 1);
  }
}
