import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventBus } from '../events/event-bus';
import type { LoggedEvent } from '../events/event-types';
import { InboundIntake } from '../ingest/inbound-intake.service';
import type { CompanyRecord } from '../tenancy/company';
import { CompanyFigures } from './company-figures';
import { MinuteHistory } from './minute-history';
import { ProcessFigures } from './process-figures';
import { QueueDepthSources } from './queue-depth-sources';
import { statsConfig, type StatsConfig } from './stats.config';

export interface QueueDepths {
  /** Inbound messages held in memory until durable (this process). */
  ingest: number;
  /** Outbound messages not settled yet (the company's outbox, every process); null when unreadable. */
  outbox: number | null;
  /** Queues other modules registered, e.g. `webhooks`. */
  [queue: string]: number | null;
}

/** The history keeps one queue depth per minute: the sampler reads each company's database at most that often. */
const SAMPLED_DB_MAX_AGE_MS = 60_000;

/**
 * Feeds the last hour's history: messages received and sent as this process logs them, and every
 * STATS_SAMPLE_INTERVAL_MS a sample of the process's gauges and each company's queue depths.
 */
@Injectable()
export class StatsRecorder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(StatsRecorder.name);
  readonly history = new MinuteHistory();
  private timer?: NodeJS.Timeout;
  private sampling?: Promise<void>;

  constructor(
    private readonly bus: EventBus,
    private readonly processFigures: ProcessFigures,
    private readonly figures: CompanyFigures,
    private readonly intake: InboundIntake,
    private readonly queues: QueueDepthSources,
    @Inject(statsConfig.KEY) private readonly config: StatsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.bus.on('appended', this.onAppended);
    this.timer = setInterval(() => this.sample(), this.config.sampleIntervalMs);
    this.timer.unref();
    this.sample();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.bus.off('appended', this.onAppended);
    await this.sampling;
  }

  /** Every queue of the company: in memory, in its database (cached), and those other modules registered. */
  async queueDepths(company: CompanyRecord, maxAgeMs?: number): Promise<QueueDepths> {
    const [stored, registered] = await Promise.all([this.figures.read(company, maxAgeMs), this.queues.read(company.slug)]);
    return { ingest: this.intake.budgetSnapshot().byCompany[company.slug] ?? 0, outbox: stored.outbox, ...registered };
  }

  private sample(): void {
    if (this.sampling) return;
    const at = Date.now();
    const gauges = this.processFigures.sample();
    this.sampling = this.sampleQueues()
      .then((queued) => this.history.sample(gauges, queued, at))
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'stats sample incomplete'))
      .finally(() => (this.sampling = undefined));
  }

  private async sampleQueues(): Promise<Map<string, number>> {
    const companies = await this.figures.listCompanies();
    const depths = await Promise.all(companies.map(async (company) => [company.slug, total(await this.queueDepths(company, SAMPLED_DB_MAX_AGE_MS))] as const));
    return new Map(depths);
  }

  private readonly onAppended = (company: string, events: LoggedEvent[]): void => {
    let received = 0;
    let sent = 0;
    for (const event of events) {
      if (event.type === 'message.received') received++;
      else if (event.type === 'message.sent') sent++;
    }
    if (received > 0) this.history.count('received', company, received);
    if (sent > 0) this.history.count('sent', company, sent);
  };
}

export function total(depths: QueueDepths): number {
  return Object.values(depths).reduce<number>((sum, depth) => sum + (depth ?? 0), 0);
}
