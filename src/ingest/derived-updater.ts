import { Logger } from '@nestjs/common';
import type { Types } from 'mongoose';
import type { ChatLatest, ChatsRepository } from '../conversations/chats.repository';
import type { ProspectUpsert, UpsertResult } from '../prospects/prospect';
import { prospectEvents, replayLookback } from './ingest-events';
import type { ProspectUpsertBatcher } from '../prospects/prospect-upsert-batcher.service';
import type { EventDraft } from '../events/event-types';
import type { CompanyRecord } from '../tenancy/company';
import type { TenantContext } from '../tenancy/tenant-context';
import { conversationOf } from './conversation-key';
import type { MediaJob } from '../media/media-job';
import { mediaJobOf } from './message-record';
import type { DurableRetry } from '../core/database/durable-retry';
import type { DurableMessage } from './inbound-item';
import { isTransientDatabaseError } from '../core/database/transient-error';

/** Lag samples kept per flush for the metric; beyond this a flush reports a sample, not every message. */
const MAX_LAG_SAMPLES = 5_000;

export interface DerivedUpdaterDeps {
  company: CompanyRecord;
  tenant: TenantContext;
  chats: ChatsRepository;
  prospects: ProspectUpsertBatcher;
  retry: DurableRetry;
  windowMs: number;
  defaultRegion: string;
  /** Appends prospect events once durable; `replayedSince` marks replayed messages, whose events may be logged already. */
  events(drafts: EventDraft[], replayedSince?: Date): Promise<void>;
  /** Queues the media downloads of stored messages; durable when it resolves. */
  mediaJobs(jobs: MediaJob[]): Promise<void>;
  /** After each flush: how long its messages waited since they became durable. */
  flushed(lagsMs: number[]): void;
}

/**
 * A company's chat and prospect updates, off the critical path of ingest: durable messages are
 * folded into one pending update per chat and per prospect, and written together once the short
 * window has passed and the previous flush is done. Every update is idempotent and only moves
 * forward, so replaying messages after a crash is safe.
 */
export class DerivedUpdater {
  private readonly logger = new Logger(DerivedUpdater.name);
  private chats = new Map<string, ChatLatest>();
  private prospects = new Map<string, ProspectUpsert>();
  private storedAts: number[] = [];
  private mediaJobs: MediaJob[] = [];
  private replayedSince?: Date;
  private oldest?: Types.ObjectId;
  private flushingOldest?: Types.ObjectId;
  private firstAddedAt = 0;
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly deps: DerivedUpdaterDeps) {}

  /** `replayed`: messages stored before a crash, fed again by the watermark replay. */
  add(messages: DurableMessage[], replayed = false): void {
    if (messages.length === 0) return;
    if (this.chats.size === 0) this.firstAddedAt = Date.now();
    for (const durable of messages) this.fold(durable);
    if (replayed) this.replayedSince = earliest(this.replayedSince, replayLookback(messages));
    this.schedule();
  }

  /** The id of the oldest durable message whose updates are not yet written. */
  oldestPendingId(): Types.ObjectId | undefined {
    return minId(this.flushingOldest, this.oldest);
  }

  get pendingChats(): number {
    return this.chats.size;
  }

  idle(): Promise<void> {
    if (!this.flushing && this.chats.size === 0) return Promise.resolve();
    this.schedule(true);
    return new Promise((resume) => this.idleWaiters.push(resume));
  }

  private fold({ id, session, message, storedAt }: DurableMessage): void {
    const { direction, phone } = conversationOf(message, this.deps.defaultRegion);
    const chatKey = `${session}\u0000${phone}`;
    const current = this.chats.get(chatKey);
    const inboundAt = direction === 'inbound' ? latest(current?.lastInboundAt, message.timestamp) : current?.lastInboundAt;
    if (!current || current.timestamp <= message.timestamp) {
      const stored: ChatLatest = {
        id: id.toHexString(),
        session,
        providerMessageId: message.providerMessageId,
        direction,
        phone,
        from: message.from,
        to: message.to,
        timestamp: message.timestamp,
      };
      if (message.text !== undefined) stored.text = message.text;
      this.chats.set(chatKey, stored);
    }
    if (inboundAt) this.chats.get(chatKey)!.lastInboundAt = inboundAt;
    const job = mediaJobOf({ id, session, message, storedAt });
    if (job) this.mediaJobs.push(job);
    if (direction === 'inbound' && phone.startsWith('+')) this.foldProspect(phone, session, message.timestamp, message.senderName);
    this.oldest = minId(this.oldest, id);
    if (this.storedAts.length < MAX_LAG_SAMPLES) this.storedAts.push(storedAt);
  }

  private foldProspect(number: string, session: string, at: Date, name: string | undefined): void {
    const current = this.prospects.get(number);
    const setOnInsert = { firstSource: `whatsapp:${session}`, ...(name ? { name } : {}) };
    if (!current) {
      this.prospects.set(number, { number, set: { lastSession: session }, max: { lastMessageAt: at }, setOnInsert });
      return;
    }
    if (at >= (current.max?.lastMessageAt ?? at)) {
      current.set = { lastSession: session };
      current.max = { lastMessageAt: at };
    }
  }

  private schedule(now = false): void {
    if (this.flushing || this.chats.size === 0) return;
    const wait = now ? 0 : Math.max(0, this.firstAddedAt + this.deps.windowMs - Date.now());
    if (wait === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.flushing = this.flush().finally(() => {
        this.flushing = undefined;
        if (this.chats.size > 0) this.schedule(this.idleWaiters.length > 0);
        else for (const resume of this.idleWaiters.splice(0)) resume();
      });
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, wait);
    }
  }

  private async flush(): Promise<void> {
    const chats = [...this.chats.values()];
    const prospects = [...this.prospects.values()];
    const storedAts = this.storedAts;
    const mediaJobs = this.mediaJobs;
    const replayedSince = this.replayedSince;
    this.flushingOldest = this.oldest;
    this.chats = new Map();
    this.prospects = new Map();
    this.storedAts = [];
    this.mediaJobs = [];
    this.replayedSince = undefined;
    this.oldest = undefined;
    try {
      if (mediaJobs.length > 0) await this.deps.retry.execute(() => this.deps.mediaJobs(mediaJobs));
      await this.writeChats(chats);
      const results = await this.writeProspects(prospects);
      await this.deps.events(prospectEvents(prospects, results), replayedSince);
    } catch (error) {
      // Only a halt or an error the server will repeat gets here; the watermark still covers the messages.
      this.logger.error({ company: this.deps.company.slug, chats: chats.length, err: (error as Error).message }, 'chat and prospect updates not written');
      return;
    } finally {
      this.flushingOldest = undefined;
    }
    const done = Date.now();
    this.deps.flushed(storedAts.map((at) => done - at));
  }

  private async writeChats(chats: ChatLatest[]): Promise<void> {
    await this.deps.retry.execute(() => this.deps.chats.recordLatest(this.deps.tenant, chats));
  }

  /** The prospect writer answers per item; items that failed for a transient reason are written again. */
  private async writeProspects(upserts: ProspectUpsert[]): Promise<Map<ProspectUpsert, UpsertResult>> {
    const results = new Map<ProspectUpsert, UpsertResult>();
    let pending = upserts;
    await this.deps.retry.execute(async () => {
      if (pending.length === 0) return;
      const outcomes = await this.deps.prospects.writeNow(this.deps.company, pending);
      outcomes.forEach((outcome, index) => {
        if (outcome.ok) results.set(pending[index], outcome.value);
      });
      const retry = pending.filter((_, index) => {
        const outcome = outcomes[index];
        return outcome !== undefined && !outcome.ok && isTransientDatabaseError(outcome.error);
      });
      const failed = outcomes.filter((outcome) => !outcome.ok && !isTransientDatabaseError(outcome.error));
      if (failed.length > 0) this.logger.error({ company: this.deps.company.slug, failed: failed.length }, 'prospect updates refused by the database');
      pending = retry;
      if (retry.length > 0) {
        const first = outcomes.find((outcome) => !outcome.ok && isTransientDatabaseError(outcome.error));
        throw first && !first.ok ? first.error : new Error('prospect write to retry');
      }
    });
    return results;
  }
}

function latest(a: Date | undefined, b: Date): Date {
  return a && a > b ? a : b;
}

function earliest(a: Date | undefined, b: Date): Date {
  return a && a < b ? a : b;
}

function minId(a: Types.ObjectId | undefined, b: Types.ObjectId | undefined): Types.ObjectId | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.toHexString() <= b.toHexString() ? a : b;
}
