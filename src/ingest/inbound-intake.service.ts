import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Types } from 'mongoose';
import { settleWithin } from '../core/async/settle-within';
import { ProcessIdentity } from '../core/process/process-identity';
import { ChatsRepository } from '../conversations/chats.repository';
import { MessagesRepository, type NewMessage } from '../conversations/messages.repository';
import { ingestConfig, type IngestConfig } from '../core/config/configuration';
import { EventLog } from '../events/event-log.service';
import type { EventDraft } from '../events/event-types';
import { MetricsService, type IngestSnapshot } from '../metrics/metrics.service';
import { ProspectUpsertBatcher } from '../prospects/prospect-upsert-batcher.service';
import type { InboundMessage } from '../providers/provider-events';
import type { CompanyRecord } from '../tenancy/company';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import { oldestPending, type CompanyIngest } from './company-ingest';
import { conversationOf } from './conversation-key';
import { DeadLettersRepository } from './dead-letters.repository';
import { DeriveWatermarkRepository } from './derive-watermark.repository';
import { DerivedUpdater } from './derived-updater';
import type { DurableMessage, IngestOutcome, PendingMessage } from './inbound-item';
import { InboundWriter } from './inbound-writer';
import { MessageEventStage } from './message-event-stage';
import { IngestBudget } from './ingest-budget';
import { IngestException } from './ingest.exception';
import { DurableRetry } from '../core/database/durable-retry';
import { MediaQueue } from '../media/media-queue';
import { extrasOf, storedMediaOf } from './message-record';

/**
 * Where every inbound message enters. A message is durable when the insert holding it returns; the
 * source is told so (`store`) or, for sources that acknowledged WhatsApp already, slowed down while
 * the company's memory budget is full (`accept`). Chat and prospect updates follow, coalesced, and a
 * per-process watermark lets another process replay them after a crash.
 */
@Injectable()
export class InboundIntake implements BeforeApplicationShutdown {
  private readonly logger = new Logger(InboundIntake.name);
  private readonly budget: IngestBudget;
  private readonly ingests = new Map<string, CompanyIngest>();
  private readonly halt = new AbortController();
  private readonly derivedRetry: DurableRetry;
  private accepting = true;

  constructor(
    private readonly pool: TenantConnectionPool,
    private readonly messages: MessagesRepository,
    private readonly chats: ChatsRepository,
    private readonly prospects: ProspectUpsertBatcher,
    private readonly deadLetters: DeadLettersRepository,
    private readonly watermarks: DeriveWatermarkRepository,
    private readonly identity: ProcessIdentity,
    @Inject(ingestConfig.KEY) private readonly config: IngestConfig,
    private readonly metrics: MetricsService,
    private readonly events: EventLog,
    private readonly media: MediaQueue,
  ) {
    const { bufferPerCompany, bufferGlobal, retryMaxDelayMs } = config.inbound;
    this.budget = new IngestBudget({ perCompany: bufferPerCompany, global: bufferGlobal });
    this.derivedRetry = new DurableRetry(50, retryMaxDelayMs, this.halt.signal);
    metrics.observeIngest(() => this.budgetSnapshot());
  }

  /** Messages held until durable, per company and in total, with their bounds. */
  budgetSnapshot(): IngestSnapshot {
    const writeAgeSeconds: Record<string, number> = {};
    for (const [company, { writer }] of this.ingests) if (writer.writeAgeMs > 0) writeAgeSeconds[company] = Math.round(writer.writeAgeMs / 100) / 10;
    return { ...this.budget.snapshot(), limits: this.budget.limits, writeAgeSeconds };
  }

  /** For sources that cannot be told to redeliver: resolves once the message is held (waits while the budget is full). */
  async accept(company: CompanyRecord, session: string, message: InboundMessage): Promise<void> {
    await this.budget.reserve(company.slug, 1);
    this.enqueue(company, session, message).catch((error: Error) =>
      this.logger.error(
        { company: company.slug, session, providerMessageId: message.providerMessageId, err: error.message },
        'inbound message not stored before shutdown',
      ),
    );
  }

  /** A message this service sent (the outbox): waits for room like `accept`, resolves once it is durable. */
  async recordSent(company: CompanyRecord, session: string, message: InboundMessage): Promise<IngestOutcome> {
    await this.budget.reserve(company.slug, 1);
    return this.enqueue(company, session, { ...message, fromMe: true });
  }

  /** For sources that redeliver: the outcome of each message once durable; 503 when it cannot be taken or stored in time. */
  async store(company: CompanyRecord, session: string, messages: InboundMessage[]): Promise<IngestOutcome[]> {
    if (!this.accepting) throw IngestException.shuttingDown();
    if (!this.budget.tryReserve(company.slug, messages.length)) {
      this.metrics.inboundRefused.inc({ company: company.slug, reason: 'overloaded' });
      throw IngestException.overloaded(company.slug, 1);
    }
    const durable = Promise.all(messages.map((message) => this.enqueue(company, session, message)));
    durable.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(IngestException.notDurableInTime(company.slug, 1)), this.config.inbound.ackTimeoutMs);
    });
    try {
      return await Promise.race([durable, expired]);
    } catch (error) {
      this.metrics.inboundRefused.inc({ company: company.slug, reason: 'not-durable' });
      throw error instanceof IngestException ? error : IngestException.notDurableInTime(company.slug, 1, error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits until everything held is stored and derived (tests, shutdown). */
  async flushAll(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      const busy = [...this.ingests.values()].filter((ingest) => ingest.writer.pending > 0 || oldestPending(ingest) !== undefined);
      if (busy.length === 0) return;
      await Promise.all(
        busy.map(async (ingest) => {
          await ingest.writer.idle();
          await Promise.all([ingest.deriver.idle(), ingest.events.idle()]);
        }),
      );
    }
  }

  /** Messages this process must still store or derive for `company`, oldest first; for the watermark. */
  oldestPendingId(company: string): Types.ObjectId | undefined {
    const ingest = this.ingests.get(company);
    return ingest ? oldestPending(ingest) : undefined;
  }

  /** Companies this process has stored messages for since it keeps a watermark. */
  watermarkedCompanies(): string[] {
    return [...this.ingests].filter(([, ingest]) => ingest.watermarked).map(([slug]) => slug);
  }

  /** Feeds already stored messages through the derived updates again (crash replay); resolves when written. */
  async rederive(company: CompanyRecord, messages: DurableMessage[]): Promise<void> {
    const ingest = this.ingestFor(company);
    ingest.deriver.add(messages, true);
    ingest.events.add(messages, true);
    await Promise.all([ingest.deriver.idle(), ingest.events.idle()]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.accepting = false;
    const drained = await settleWithin(this.flushAll(), this.config.inbound.shutdownDrainMs);
    if (!drained)
      this.logger.warn({ held: this.budget.snapshot().total }, 'shutdown drain timed out; messages not yet durable were not acknowledged to their source');
    this.halt.abort();
  }

  private enqueue(company: CompanyRecord, session: string, message: InboundMessage): Promise<IngestOutcome> {
    const ingest = this.ingestFor(company);
    return new Promise<IngestOutcome>((resolve, reject) => {
      const pending: PendingMessage = { id: new Types.ObjectId(), session, message, settle: resolve, fail: reject };
      ingest.writer.add(pending);
    });
  }

  private ingestFor(company: CompanyRecord): CompanyIngest {
    const existing = this.ingests.get(company.slug);
    if (existing) return existing;
    const tenant = this.pool.contextFor(company);
    const { inbound, defaultPhoneRegion } = this.config;
    const appendEvents = async (drafts: EventDraft[], replayedSince?: Date) => {
      await (replayedSince ? this.events.appendReplayed(company, drafts, replayedSince) : this.events.append(company, drafts));
    };
    const ingest: CompanyIngest = {
      watermarked: false,
      events: new MessageEventStage({ company: company.slug, defaultRegion: defaultPhoneRegion, append: appendEvents }),
      deriver: new DerivedUpdater({
        company,
        tenant,
        chats: this.chats,
        prospects: this.prospects,
        retry: this.derivedRetry,
        windowMs: inbound.deriveWindowMs,
        defaultRegion: defaultPhoneRegion,
        events: appendEvents,
        mediaJobs: (jobs) => this.media.add(company, tenant, jobs),
        flushed: (lags) => {
          for (const lag of lags) this.metrics.deriveLagSeconds.observe(lag / 1000);
          void this.saveWatermark(company, ingest);
        },
      }),
      writer: new InboundWriter(
        {
          insert: async (batch) => {
            await this.ensureWatermark(company, ingest);
            return this.messages.insertMany(
              tenant,
              batch.map((pending) => this.toDocument(pending)),
            );
          },
          deadLetter: (pending, reason) => this.deadLetters.add(tenant, { id: pending.id, session: pending.session, message: pending.message, reason }),
          durable: (messages) => {
            ingest.events.add(messages);
            ingest.deriver.add(messages);
          },
          released: (count) => this.budget.release(company.slug, count),
          outcome: (result) => this.metrics.inboundMessages.inc({ company: company.slug, result }),
        },
        { maxBatch: inbound.maxBatch, retryInitialDelayMs: 25, retryMaxDelayMs: inbound.retryMaxDelayMs, halt: this.halt.signal },
      ),
    };
    this.ingests.set(company.slug, ingest);
    return ingest;
  }

  /** Records how far this process has derived (and that it is alive); a failure is repaired by the next flush or heartbeat. */
  async saveWatermark(company: CompanyRecord, ingest = this.ingests.get(company.slug)): Promise<void> {
    if (!ingest?.watermarked) return;
    await this.watermarks
      .save(this.pool.contextFor(company), this.identity.id, oldestPending(ingest) ?? new Types.ObjectId())
      .catch((error: Error) => this.logger.warn({ company: company.slug, err: error.message }, 'derive watermark not saved'));
  }

  /** Before this process stores its first message for a company, its watermark must exist, or a crash could hide that message. */
  private async ensureWatermark(company: CompanyRecord, ingest: CompanyIngest): Promise<void> {
    if (ingest.watermarked) return;
    await this.watermarks.save(this.pool.contextFor(company), this.identity.id, oldestPending(ingest) ?? new Types.ObjectId());
    ingest.watermarked = true;
  }

  private toDocument({ id, session, message }: PendingMessage): NewMessage {
    const { direction, phone } = conversationOf(message, this.config.defaultPhoneRegion);
    const doc: NewMessage = {
      id,
      session,
      providerMessageId: message.providerMessageId,
      direction,
      phone,
      from: message.from,
      to: message.to,
      timestamp: message.timestamp,
    };
    if (message.text !== undefined) doc.text = message.text;
    if (message.media) {
      doc.media = storedMediaOf(message.media);
      if (message.media.source) doc.mediaSource = message.media.source;
    }
    if (message.senderName) doc.senderName = message.senderName;
    if (message.fromMe) doc.status = 'sent';
    Object.assign(doc, extrasOf(message));
    return doc;
  }
}
