import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Types } from 'mongoose';
import type { ReplayedMessage } from '../conversations/messages.repository';
import { MessagesRepository } from '../conversations/messages.repository';
import { ingestConfig, type IngestConfig } from '../core/config/configuration';
import { ProcessIdentity } from '../core/process/process-identity';
import type { InboundMessage } from '../providers/provider-events';
import type { CompanyRecord } from '../tenancy/company';
import { CompaniesService } from '../tenancy/companies.service';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import { DeriveWatermarkRepository, type DeriveWatermark } from './derive-watermark.repository';
import { InboundIntake } from './inbound-intake.service';

const REPLAY_PAGE = 500;
/** A process that missed this many heartbeats is taken for dead, and its pending updates are replayed. */
const MISSED_BEATS = 3;

/**
 * Keeps this process's derive watermarks alive, and replays the chat and prospect updates of
 * processes that died (a crash, a SIGKILL on deploy) from their watermarks. Replays are idempotent,
 * so two processes doing the same one is harmless; the watermark is removed only once it is done.
 */
@Injectable()
export class DeriveRecovery implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(DeriveRecovery.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly intake: InboundIntake,
    private readonly companies: CompaniesService,
    private readonly pool: TenantConnectionPool,
    private readonly messages: MessagesRepository,
    private readonly watermarks: DeriveWatermarkRepository,
    private readonly identity: ProcessIdentity,
    @Inject(ingestConfig.KEY) private readonly config: IngestConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    this.timer = setInterval(() => {
      this.beat().catch((error: Error) => this.logger.warn({ err: error.message }, 'derive watermark heartbeat failed'));
    }, this.config.inbound.watermarkHeartbeatMs);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** After ingest drained (its own shutdown hook): a watermark with nothing behind it is removed; others stay for a replay. */
  async onApplicationShutdown(): Promise<void> {
    await this.sweeping;
    for (const slug of this.intake.watermarkedCompanies()) {
      if (this.intake.oldestPendingId(slug)) continue;
      const company = await this.companies.get(slug);
      await this.watermarks.remove(this.pool.contextFor(company), this.identity.id).catch(() => undefined);
    }
  }

  /** Renews this process's watermarks, then looks for dead processes' ones. */
  private async beat(): Promise<void> {
    for (const slug of this.intake.watermarkedCompanies()) await this.intake.saveWatermark(await this.companies.get(slug));
    await this.sweep();
  }

  /** Replays every dead process's watermark of every company; one sweep at a time. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepAll().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweepAll(): Promise<void> {
    const staleBefore = new Date(Date.now() - MISSED_BEATS * this.config.inbound.watermarkHeartbeatMs);
    const companies = await this.companies.listRecent().catch((error: Error) => {
      this.logger.warn({ err: error.message }, 'derive replay skipped: companies not readable');
      return [];
    });
    for (const company of companies) {
      try {
        const tenant = this.pool.contextFor(company);
        const dead = (await this.watermarks.list(tenant)).filter((mark) => mark.owner !== this.identity.id && mark.heartbeatAt < staleBefore);
        for (const mark of dead) await this.replay(company, mark);
      } catch (error) {
        this.logger.warn({ company: company.slug, err: (error as Error).message }, 'derive replay failed; it is tried again at the next sweep');
      }
    }
  }

  private async replay(company: CompanyRecord, mark: DeriveWatermark): Promise<void> {
    const tenant = this.pool.contextFor(company);
    let replayed = 0;
    let from = mark.upTo;
    let inclusive = true;
    for (;;) {
      const page = await this.messages.pageFrom(tenant, from, inclusive, REPLAY_PAGE);
      if (page.length === 0) break;
      await this.intake.rederive(
        company,
        page.map((message) => ({ id: idOf(message.id), session: message.session, message: asInbound(message), storedAt: Date.now() })),
      );
      replayed += page.length;
      from = idOf(page[page.length - 1].id);
      inclusive = false;
    }
    await this.watermarks.remove(tenant, mark.owner, mark.heartbeatAt);
    this.logger.log({ company: company.slug, owner: mark.owner, replayed }, 'replayed derived updates of a process that stopped without finishing them');
  }
}

function idOf(hex: string): Types.ObjectId {
  return new Types.ObjectId(hex);
}

/** A stored message as ingest first saw it: what the derived updates read. */
function asInbound(message: ReplayedMessage): InboundMessage {
  const inbound: InboundMessage = {
    providerMessageId: message.providerMessageId,
    from: message.from,
    to: message.direction === 'outbound' ? message.phone : message.to,
    timestamp: message.timestamp,
  };
  if (message.text !== undefined) inbound.text = message.text;
  if (message.senderName) inbound.senderName = message.senderName;
  if (message.direction === 'outbound') inbound.fromMe = true;
  const media = message.media;
  if (media?.status === 'pending' && message.mediaSource) {
    inbound.media = { type: media.type, mimeType: media.mimeType, source: message.mediaSource };
    if (media.fileName) inbound.media.fileName = media.fileName;
    if (media.size !== undefined) inbound.media.sizeBytes = media.size;
  }
  return inbound;
}
