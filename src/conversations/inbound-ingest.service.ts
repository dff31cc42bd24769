import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { Types } from 'mongoose';
import { BatchQueue, type Outcome } from '../core/batching/batch-queue';
import { ingestConfig, type IngestConfig } from '../core/config/configuration';
import { MetricsService } from '../metrics/metrics.service';
import { toE164 } from '../prospects/phone-number';
import { ProspectUpsertBatcher } from '../prospects/prospect-upsert-batcher.service';
import type { InboundMessage } from '../providers/provider-events';
import { SessionEvents, type SessionInbound } from '../sessions/session-events';
import type { CompanyRecord } from '../tenancy/company';
import { CompaniesService } from '../tenancy/companies.service';
import type { TenantContext } from '../tenancy/tenant-context';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import { ChatsRepository } from './chats.repository';
import type { StoredMessage } from './message';
import { MessagesRepository, type NewMessage } from './messages.repository';

export type IngestResult = 'stored' | 'duplicate';

interface Item {
  session: string;
  message: InboundMessage;
}

const RECOVERY_PAGE = 500;

/**
 * Inbound messages, exactly once: each batch is one unordered insert into `messages`, where the
 * unique (session, provider id) key turns a redelivery into a duplicate that is acknowledged and
 * otherwise ignored. Only newly stored messages update their chat (one bulkWrite) and prospect (the
 * batcher); then they are marked derived. Those updates are idempotent, so messages a crash left
 * underived are replayed at start-up. One bounded queue per company: a slow tenant backs up alone.
 */
@Injectable()
export class InboundIngestService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(InboundIngestService.name);
  private readonly queues = new Map<string, BatchQueue<Item, IngestResult>>();

  constructor(
    private readonly events: SessionEvents,
    private readonly companies: CompaniesService,
    private readonly pool: TenantConnectionPool,
    private readonly messages: MessagesRepository,
    private readonly chats: ChatsRepository,
    private readonly prospects: ProspectUpsertBatcher,
    @Inject(ingestConfig.KEY) private readonly config: IngestConfig,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.events.on('inbound', (inbound) => void this.fromEvent(inbound));
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const company of await this.companies.list()) {
      await this.recover(company).catch((error: Error) => this.logger.error({ company: company.slug, err: error.message }, 'inbound recovery failed'));
    }
  }

  /** Resolves once the message is durably stored (or known to be stored already). */
  async ingest(company: CompanyRecord, session: string, message: InboundMessage): Promise<IngestResult> {
    return this.queueFor(company).add({ session, message });
  }

  async flushAll(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.drain()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flushAll();
  }

  /** Replays chat and prospect updates for messages stored before a crash could apply them. */
  async recover(company: CompanyRecord): Promise<number> {
    const tenant = this.pool.contextFor(company);
    let replayed = 0;
    for (;;) {
      const pending = await this.messages.findUnderived(tenant, RECOVERY_PAGE);
      if (pending.length === 0) return replayed;
      await this.derive(company, tenant, pending);
      replayed += pending.length;
    }
  }

  private async fromEvent({ company, session, message }: SessionInbound): Promise<void> {
    try {
      await this.ingest(await this.companies.get(company), session, message);
    } catch (error) {
      this.logger.error({ company, session, providerMessageId: message.providerMessageId, err: (error as Error).message }, 'inbound message not stored');
    }
  }

  private queueFor(company: CompanyRecord): BatchQueue<Item, IngestResult> {
    let queue = this.queues.get(company.slug);
    if (!queue) {
      const tenant = this.pool.contextFor(company);
      queue = new BatchQueue(
        { maxBatchSize: this.config.batchSize, maxWaitMs: this.config.batchIntervalMs, maxPending: this.config.bufferLimit },
        (items) => this.write(company, tenant, items),
      );
      this.queues.set(company.slug, queue);
    }
    return queue;
  }

  private async write(company: CompanyRecord, tenant: TenantContext, items: Item[]): Promise<Outcome<IngestResult>[]> {
    const batch: NewMessage[] = items.map(({ session, message }) => ({
      id: new Types.ObjectId(),
      session,
      providerMessageId: message.providerMessageId,
      direction: 'inbound',
      phone: this.chatKey(message.from),
      from: message.from,
      to: message.to,
      text: message.text,
      media: message.media,
      timestamp: message.timestamp,
    }));
    const inserted = await this.messages.insertMany(tenant, batch, false);
    const stored = batch.filter((_, index) => inserted[index] === 'inserted').map(({ id, ...rest }) => ({ ...rest, id: id.toHexString() }));
    await this.derive(company, tenant, stored, items.map((item) => item.message));
    return inserted.map((outcome) => {
      const result = outcome instanceof Error ? 'failed' : outcome === 'inserted' ? 'stored' : 'duplicate';
      this.metrics.inboundMessages.inc({ company: company.slug, result });
      return outcome instanceof Error ? { ok: false, error: outcome } : { ok: true, value: result as IngestResult };
    });
  }

  /** Chats are keyed by E.164 (so `+521…` WhatsApp ids and `+52…` land in one chat); ids that are not numbers stay as they are. */
  private chatKey(from: string): string {
    const phone = toE164(from, this.config.defaultPhoneRegion);
    return phone.ok ? phone.e164 : from;
  }

  private async derive(company: CompanyRecord, tenant: TenantContext, stored: StoredMessage[], originals: InboundMessage[] = []): Promise<void> {
    if (stored.length === 0) return;
    const senderNames = new Map(originals.filter((m) => m.senderName).map((m) => [m.from, m.senderName]));
    const latestByChat = new Map<string, StoredMessage>();
    for (const message of stored) {
      const key = `${message.session}\u0000${message.phone}`;
      const current = latestByChat.get(key);
      if (!current || current.timestamp <= message.timestamp) latestByChat.set(key, message);
    }
    await this.chats.recordLatest(tenant, [...latestByChat.values()]);
    await Promise.all(
      [...latestByChat.values()].map((message) => {
        const phone = toE164(message.phone, this.config.defaultPhoneRegion);
        if (!phone.ok) return undefined;
        const name = senderNames.get(message.from);
        return this.prospects.upsert(company, {
          number: phone.e164,
          set: { lastMessageAt: message.timestamp, lastSession: message.session },
          setOnInsert: { firstSource: `whatsapp:${message.session}`, ...(name ? { name } : {}) },
        });
      }),
    );
    await this.messages.markDerived(tenant, stored.map((message) => new Types.ObjectId(message.id)));
  }
}
