import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ProcessIdentity } from '../core/process/process-identity';
import { EventBus } from '../events/event-bus';
import { EventLogReader } from '../events/event-log.reader';
import type { LoggedEvent } from '../events/event-types';
import { QueueDepthSources } from '../stats/queue-depth-sources';
import type { CompanyRecord } from '../tenancy/company';
import { CompaniesService } from '../tenancy/companies.service';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import { CompanyDispatcher } from './delivery/company-dispatcher';
import type { DispatcherDeps } from './delivery/endpoint-dispatcher';
import { WebhookSender } from './delivery/webhook-sender';
import { WebhookDeadLettersRepository } from './repositories/webhook-dead-letters.repository';
import { WebhookDispatchLeaseRepository, type DispatchLease } from './repositories/webhook-dispatch-lease.repository';
import { WebhookEndpointsRepository } from './repositories/webhook-endpoints.repository';
import { SecretBox } from './secret-box';
import { WebhookMetrics } from './webhook-metrics';
import { webhooksConfig, type WebhooksConfig } from './webhooks.config';

/** Endpoint settings changed elsewhere reach this process's dispatchers within this long at most. */
const MAX_CYCLE_MS = 2_000;

interface Held {
  dispatcher: CompanyDispatcher;
  lease: DispatchLease;
}

/**
 * Runs each company's webhook dispatcher in exactly one process: the holder of the company's lease in its
 * database. Every cycle it renews what it holds (and follows endpoint changes), claims the leases of
 * companies with endpoints that nobody holds, and gives up companies left without endpoints. Appends made
 * by this process wake the company's dispatcher at once; the holder polls the log for everyone else's.
 */
@Injectable()
export class WebhookDispatchService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatchService.name);
  private readonly held = new Map<string, Held>();
  /** Cycles and refreshes of one company never overlap: two could otherwise start two dispatchers for it. */
  private readonly turns = new Map<string, Promise<void>>();
  private readonly deps: DispatcherDeps;
  private timer?: NodeJS.Timeout;
  private cycling?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly companies: CompaniesService,
    private readonly pool: TenantConnectionPool,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly leases: WebhookDispatchLeaseRepository,
    private readonly identity: ProcessIdentity,
    private readonly bus: EventBus,
    private readonly box: SecretBox,
    private readonly metrics: WebhookMetrics,
    private readonly queues: QueueDepthSources,
    private readonly sender: WebhookSender,
    reader: EventLogReader,
    deadLetters: WebhookDeadLettersRepository,
    @Inject(webhooksConfig.KEY) private readonly config: WebhooksConfig,
  ) {
    this.deps = { reader, sender, endpoints, deadLetters, metrics, config };
  }

  get cycleMs(): number {
    return Math.min(MAX_CYCLE_MS, Math.floor(this.config.leaseTtlMs / 3));
  }

  onApplicationBootstrap(): void {
    // Only a flag and a scheduled pass here: appending events (ingest's path) never waits on webhooks.
    this.bus.on('appended', this.onAppended);
    this.metrics.observe(() =>
      [...this.held.values()].flatMap(({ dispatcher }) =>
        dispatcher.endpoints.map((worker) => ({
          company: dispatcher.company.slug,
          endpoint: worker.id,
          breaker: worker.breakerStatus,
          pending: worker.pending,
        })),
      ),
    );
    // Stats and the dashboard show, per company, the events this process holds for its endpoints.
    this.queues.register('webhooks', (company) => (this.held.get(company)?.dispatcher.endpoints ?? []).reduce((sum, worker) => sum + worker.pending, 0));
    this.timer = setInterval(() => void this.cycle(), this.cycleMs);
    this.timer.unref();
    void this.cycle();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.bus.off('appended', this.onAppended);
    await this.cycling;
    await Promise.all([...this.held.keys()].map((slug) => this.letGo(slug, this.config.shutdownGraceMs, true)));
    this.sender.close();
  }

  /** Follows endpoint changes made through this process at once (others within a cycle). */
  async refresh(company: CompanyRecord): Promise<void> {
    if (this.stopped) return;
    await this.inTurn(company).catch((error: Error) => this.logger.warn({ company: company.slug, err: error.message }, 'webhook endpoints not refreshed'));
  }

  /** One renewal and claim round over every company; one at a time. */
  cycle(): Promise<void> {
    this.cycling ??= this.cycleAll().finally(() => (this.cycling = undefined));
    return this.cycling;
  }

  private readonly onAppended = (company: string, page: LoggedEvent[]): void => {
    this.held.get(company)?.dispatcher.wake(page);
  };

  private async cycleAll(): Promise<void> {
    let companies: CompanyRecord[];
    try {
      companies = await this.companies.listRecent();
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'webhook dispatch cycle skipped: companies not readable');
      return;
    }
    for (const company of companies) {
      if (this.stopped) return;
      await this.inTurn(company).catch((error: Error) => this.failedCycle(company, error));
    }
  }

  private inTurn(company: CompanyRecord): Promise<void> {
    const turn = (this.turns.get(company.slug) ?? Promise.resolve()).catch(() => undefined).then(() => this.cycleCompany(company));
    const settled = turn.catch(() => undefined);
    this.turns.set(company.slug, settled);
    void settled.then(() => this.turns.get(company.slug) === settled && this.turns.delete(company.slug));
    return turn;
  }

  private async cycleCompany(company: CompanyRecord): Promise<void> {
    if (this.stopped) return;
    const tenant = this.pool.contextFor(company);
    const endpoints = await this.endpoints.list(tenant);
    const held = this.held.get(company.slug);
    if (endpoints.length === 0) {
      if (held) await this.letGo(company.slug, 0, true);
      return;
    }
    const lease = await this.leases.claim(tenant, this.identity.id, new Date(), this.config.leaseTtlMs);
    if (this.stopped) return;
    if (!lease) {
      if (held) {
        this.logger.warn({ company: company.slug }, 'webhook dispatch lease taken over by another process; stopping here');
        await this.letGo(company.slug, 0, false);
      }
      return;
    }
    if (held) {
      held.lease = lease;
      held.dispatcher.sync(endpoints);
      return;
    }
    const dispatcher = new CompanyDispatcher(company, tenant, this.deps, this.box, (endpoint) => this.metrics.forget(company.slug, endpoint));
    this.held.set(company.slug, { dispatcher, lease });
    this.logger.log({ company: company.slug, token: lease.token, endpoints: endpoints.length }, 'delivering webhooks for this company');
    dispatcher.sync(endpoints);
  }

  /** A renewal that failed keeps the dispatcher only while the lease surely has not expired. */
  private async failedCycle(company: CompanyRecord, error: Error): Promise<void> {
    const held = this.held.get(company.slug);
    this.logger.warn({ company: company.slug, err: error.message }, 'webhook dispatch lease not renewed');
    if (held && held.lease.expiresAt.getTime() - Date.now() < this.cycleMs) await this.letGo(company.slug, 0, false);
  }

  private async letGo(slug: string, graceMs: number, release: boolean): Promise<void> {
    const held = this.held.get(slug);
    if (!held) return;
    this.held.delete(slug);
    await held.dispatcher.stop(graceMs);
    if (release) {
      await this.leases
        .release(this.pool.contextFor(held.dispatcher.company), this.identity.id)
        .catch((error: Error) => this.logger.warn({ company: slug, err: error.message }, 'webhook dispatch lease not released; it expires'));
    }
  }
}
