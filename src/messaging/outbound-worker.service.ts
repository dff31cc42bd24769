import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { messagingConfig, type MessagingConfig } from '../core/config/configuration';
import { MetricsService } from '../metrics/metrics.service';
import { SessionEvents } from '../sessions/session-events';
import { SessionManager } from '../sessions/session-manager.service';
import { SessionsRepository } from '../sessions/sessions.repository';
import type { CompanyRecord } from '../tenancy/company';
import { CompaniesService } from '../tenancy/companies.service';
import type { TenantContext } from '../tenancy/tenant-context';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import { InboundIntake } from '../ingest/inbound-intake.service';
import { outboundMessageOf, sentRecordOf } from './outbound-content';
import type { OutboundView } from './outbound-message';
import { OutboxRepository } from './outbox.repository';
import { OutboundUploads } from './outbound-uploads';
import { decideAfterSend, UNKNOWN_OUTCOME, type SendOutcome } from './send-outcome';
import { SessionSendGuard } from './session-send-guard';

const CLAIM_LIMIT = 50;
/** A message for a session that is not running waits this long, unless the session comes up first. */
const WAIT_FOR_SESSION_MS = 60_000;
/** A lease outlives one try (its timeout and the wait for a late result) by this margin. */
const LEASE_MARGIN_MS = 5_000;
/** Sessions that ended for good are looked up this often per company, not on every pass; an end seen in this process at once. */
const ENDED_CHECK_MS = 10_000;

/**
 * Sends what the outbox holds: leases due messages, sends each session's messages in order through
 * its guard, and records the result durably — sent (and into the conversation), a later retry with
 * exponential backoff, or failed with the reason once the tries are spent. Provider acks move sent
 * messages to delivered and read. Woken on enqueue, and polled so retries and restarts resume.
 */
@Injectable()
export class OutboundWorker implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboundWorker.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly abandonedCheckedAt = new Map<string, number>();
  private readonly endedSessions = new Map<string, { at: number; names: string[] }>();

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly guard: SessionSendGuard,
    private readonly manager: SessionManager,
    private readonly sessions: SessionsRepository,
    private readonly events: SessionEvents,
    private readonly companies: CompaniesService,
    private readonly pool: TenantConnectionPool,
    private readonly intake: InboundIntake,
    @Inject(messagingConfig.KEY) private readonly config: MessagingConfig,
    private readonly metrics: MetricsService,
    private readonly uploads: OutboundUploads,
  ) {}

  onModuleInit(): void {
    this.events.on('transition', ({ company, session, status }) => {
      if (status === 'LOGGED_OUT' || status === 'FAILED') this.endedSessions.delete(company);
      if (status !== 'WORKING') return;
      void this.companies
        .get(company)
        .then((record) => this.outbox.wakeSession(this.pool.contextFor(record), session, new Date()))
        .then(() => this.kick())
        .catch((error: Error) => this.logger.warn({ company, session, err: error.message }, 'could not wake queued messages'));
    });
    this.events.handleStatus(async ({ company, event }) => {
      await this.outbox.applyAck(this.pool.contextFor(company), event.providerMessageId, event.status, event.reason);
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.config.pollIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs a pass now (or right after the one in progress). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolves when no pass is in progress. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async pass(): Promise<void> {
    try {
      for (const company of await this.companies.listRecent()) await this.drain(company);
    } catch (error) {
      this.logger.error({ err: (error as Error).message }, 'outbound pass failed');
    }
  }

  /**
   * Only the owner of a working session sends its messages; any process fails those of a session that ended for good.
   * Messages of a session that is owned but not working yet are left due, not claimed: the first pass after it works
   * sends them, whether or not its wake-up came first.
   */
  private async drain(company: CompanyRecord): Promise<void> {
    const owned = this.manager
      .active()
      .filter((runtime) => runtime.ref.company.slug === company.slug && runtime.status === 'WORKING')
      .map((runtime) => runtime.ref.name);
    const ended = await this.endedSessionsOf(company.slug);
    if (owned.length === 0 && ended.length === 0) return;
    const tenant = this.pool.contextFor(company);
    const leaseMs = this.guard.holdMs + LEASE_MARGIN_MS;
    // A message left "sending" by a process that died mid-send may or may not have gone out: never resend it.
    // Looked for now and then only: on the embedded database every update scans the outbox.
    if (Date.now() - (this.abandonedCheckedAt.get(company.slug) ?? 0) > this.guard.holdMs) {
      this.abandonedCheckedAt.set(company.slug, Date.now());
      await this.outbox.failAbandoned(tenant, new Date(), [...owned, ...ended], UNKNOWN_OUTCOME);
    }
    const claimed = await this.outbox.claimDue(tenant, new Date(), leaseMs, CLAIM_LIMIT, [...owned, ...ended]);
    const bySession = new Map<string, OutboundView[]>();
    for (const message of claimed) bySession.set(message.session, [...(bySession.get(message.session) ?? []), message]);
    await Promise.all(
      [...bySession.values()].map(async (queue) => {
        for (const message of queue) await this.sendOne(company, tenant, message, ended.includes(message.session));
      }),
    );
  }

  private async endedSessionsOf(company: string): Promise<string[]> {
    const known = this.endedSessions.get(company);
    if (known && Date.now() - known.at < ENDED_CHECK_MS) return known.names;
    const names = await this.sessions.listTerminalNames(company);
    this.endedSessions.set(company, { at: Date.now(), names });
    return names;
  }

  /** One try; an uploaded file's bytes are read first (a failure to read them is this try's error, not the session's). */
  private async attempt(company: CompanyRecord, tenant: TenantContext, message: OutboundView): Promise<SendOutcome> {
    let uploaded: Buffer | undefined;
    try {
      if ('upload' in message) uploaded = await this.uploads.read(tenant, message.upload);
    } catch (error) {
      return { kind: 'error', error };
    }
    return this.guard.run(`${company.slug}:${message.session}`, () => this.manager.send(company, message.session, outboundMessageOf(message, uploaded)));
  }

  private async sendOne(company: CompanyRecord, tenant: TenantContext, message: OutboundView, ended: boolean): Promise<void> {
    if (ended) {
      await this.outbox.markFailed(tenant, message.id, message.attempts, 'session is logged out or failed');
      return;
    }
    const runtime = this.manager.runtime(company.slug, message.session);
    const status = runtime?.lease ? runtime.status : 'not owned here';
    if (status !== 'WORKING') {
      // Not a try: the message waits (durably) until its session works again; the transition wakes us.
      await this.outbox.retryLater(tenant, message.id, new Date(Date.now() + WAIT_FOR_SESSION_MS), message.attempts, `waiting for the session (${status})`);
      // The session may have come back while that write was on its way, and its wake-up may have landed first.
      if (this.manager.runtime(company.slug, message.session)?.status === 'WORKING') await this.outbox.wakeSession(tenant, message.session, new Date());
      return;
    }
    const outcome = await this.attempt(company, tenant, message);
    const decision = decideAfterSend(outcome, message.attempts, this.config);
    const result = outcome.kind === 'deferred' ? 'deferred' : decision.action === 'mark-sent' ? 'sent' : decision.action === 'retry' ? 'retry' : 'failed';
    this.metrics.outboundMessages.inc({ company: company.slug, result });
    switch (decision.action) {
      case 'mark-sent':
        await this.outbox.markSent(tenant, message.id, decision.providerMessageId, decision.attempts);
        await this.intake.recordSent(company, message.session, sentRecordOf(decision.providerMessageId, message));
        return;
      case 'fail':
        return this.outbox.markFailed(tenant, message.id, decision.attempts, decision.reason);
      case 'retry':
        return this.outbox.retryLater(tenant, message.id, new Date(Date.now() + decision.delayMs), decision.attempts, decision.reason);
    }
  }
}
