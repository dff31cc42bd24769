import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { settleWithin } from '../core/async/settle-within';
import { DurableRetry } from '../core/database/durable-retry';
import type { CompanyRecord } from '../tenancy/company';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import { CompanyEventAppender } from './company-event-appender';
import { EventBus } from './event-bus';
import { EventLogMetrics } from './event-log.metrics';
import { EventLogTip } from './event-log-tip';
import { EventPageRepository } from './event-page.repository';
import type { EventDraft, LoggedEvent } from './event-types';

const SHUTDOWN_DRAIN_MS = 5_000;
/** Pages read back at most when a replay looks for events already logged. */
const REPLAY_LOOKBACK_PAGES = 5_000;

/**
 * Every company's append-only event log. Producers append after the change they record is durable;
 * a crash in between is repaired by replaying the change (ingest's watermark replay), and a replayed
 * change whose event was logged already is recognised by its key and not logged twice.
 */
@Injectable()
export class EventLog implements OnApplicationShutdown {
  private readonly logger = new Logger(EventLog.name);
  private readonly appenders = new Map<string, CompanyEventAppender>();
  private readonly tips = new Map<string, EventLogTip>();
  private readonly halt = new AbortController();
  private readonly retry = new DurableRetry(25, 1_000, this.halt.signal);

  constructor(
    private readonly pool: TenantConnectionPool,
    private readonly pages: EventPageRepository,
    private readonly bus: EventBus,
    private readonly metrics: EventLogMetrics,
  ) {}

  /** Resolves once the events are durable, with their cursors. */
  append(company: CompanyRecord, drafts: EventDraft[]): Promise<LoggedEvent[]> {
    return this.appenderFor(company).append(drafts);
  }

  /** For changes replayed after a crash: leaves out those whose events (by key) were logged since `since`. */
  async appendReplayed(company: CompanyRecord, drafts: EventDraft[], since: Date): Promise<LoggedEvent[]> {
    if (drafts.length === 0) return [];
    const logged = await this.keysLoggedSince(company, since);
    return this.append(
      company,
      drafts.filter((draft) => !logged.has(draft.key)),
    );
  }

  /** The last page of the company's log as this process knows it (for the reader's expiry check). */
  tipOf(company: CompanyRecord): EventLogTip {
    let tip = this.tips.get(company.slug);
    if (!tip) {
      tip = new EventLogTip(this.pages, this.pool.contextFor(company));
      this.tips.set(company.slug, tip);
    }
    return tip;
  }

  async onApplicationShutdown(): Promise<void> {
    const drained = await settleWithin(Promise.all([...this.appenders.values()].map((appender) => appender.idle())), SHUTDOWN_DRAIN_MS);
    if (!drained) this.logger.warn('event appends still retrying at shutdown; their changes are replayed by the next process');
    this.halt.abort();
  }

  private appenderFor(company: CompanyRecord): CompanyEventAppender {
    let appender = this.appenders.get(company.slug);
    if (!appender) {
      appender = new CompanyEventAppender({
        company: company.slug,
        tenant: this.pool.contextFor(company),
        pages: this.pages,
        tip: this.tipOf(company),
        retry: this.retry,
        appended: (events, seconds) => {
          this.metrics.pageSeconds.observe({ company: company.slug }, seconds);
          this.metrics.count(
            company.slug,
            events.map((event) => event.type),
          );
          this.bus.emit('appended', company.slug, events);
        },
      });
      this.appenders.set(company.slug, appender);
    }
    return appender;
  }

  private async keysLoggedSince(company: CompanyRecord, since: Date): Promise<Set<string>> {
    const tenant = this.pool.contextFor(company);
    const keys = new Set<string>();
    const tip = this.tipOf(company);
    const last = await this.retry.execute(() => tip.latest());
    for (let number = last, read = 0; read < REPLAY_LOOKBACK_PAGES; number--, read++) {
      const page = await this.retry.execute(() => this.pages.get(tenant, number));
      if (!page) break;
      for (const event of page.events) keys.add(event.key);
      if (page.at < since) break;
    }
    return keys;
  }
}
