import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Schema, Types, type Connection } from 'mongoose';
import type { TenantContext } from '../tenancy/tenant-context';
import { tenantModel } from '../tenancy/tenant-model';
import { contentOf } from './outbound-content';
import { STATUS_RANK, type OutboundStatus, type OutboundView, type StoredContent, type StoredRef } from './outbound-message';

const OutboxSchema = new Schema({}, { collection: 'outbox', strict: false, versionKey: false, autoIndex: false });
const outbox = (db: Connection) => tenantModel(db, 'Outbox', OutboxSchema);

export interface NewOutbound {
  /** Chosen by the caller when something else is stored under the message's id first (an upload's bytes). */
  id?: Types.ObjectId;
  session: string;
  to: string;
  content: StoredContent;
  replyTo?: StoredRef;
  idempotencyKey?: string;
}

const DUPLICATE_KEY = 11000;

/** The outbox of a company: the durable state machine of every outbound message. */
@Injectable()
export class OutboxRepository {
  /** Stores the message as queued; the same idempotency key on the same session returns the first message. */
  async enqueue(tenant: TenantContext, message: NewOutbound): Promise<{ message: OutboundView; created: boolean }> {
    const now = new Date();
    const { id = new Types.ObjectId(), session, to, content, replyTo, idempotencyKey = randomUUID() } = message;
    const doc = {
      _id: id,
      session: { name: session },
      to,
      ...content,
      ...(replyTo ? { replyTo } : {}),
      idempotencyKey,
      status: 'queued',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await tenant.run((db) => outbox(db).collection.insertOne(doc));
      return { message: toView(doc as unknown as RawOutbound), created: true };
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      const existing = await tenant.run((db) => outbox(db).findOne({ 'session.name': session, idempotencyKey }).lean<RawOutbound>().exec());
      if (!existing) throw error;
      return { message: toView(existing), created: false };
    }
  }

  async findByIdempotencyKey(tenant: TenantContext, session: string, idempotencyKey: string): Promise<OutboundView | null> {
    const doc = await tenant.run((db) => outbox(db).findOne({ 'session.name': session, idempotencyKey }).lean<RawOutbound>().exec());
    return doc ? toView(doc) : null;
  }

  async find(tenant: TenantContext, session: string, id: string): Promise<OutboundView | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await tenant.run((db) =>
      outbox(db)
        .findOne({ _id: new Types.ObjectId(id), 'session.name': session })
        .lean<RawOutbound>()
        .exec(),
    );
    return doc ? toView(doc) : null;
  }

  /** Messages not settled yet (queued, waiting for a retry, or being sent): the company's outbound queue depth. */
  async countWaiting(tenant: TenantContext): Promise<number> {
    return tenant.run((db) => outbox(db).collection.countDocuments({ status: { $in: ['queued', 'sending'] } }));
  }

  /**
   * Leases up to `limit` due (queued) messages of `sessions` to this worker; the lease token keeps two workers
   * apart. Messages whose lease expired mid-send are not taken again (see `failAbandoned`).
   */
  async claimDue(tenant: TenantContext, now: Date, leaseMs: number, limit: number, sessions: string[]): Promise<OutboundView[]> {
    const due = {
      'session.name': sessions.length === 1 ? sessions[0] : { $in: sessions },
      status: 'queued',
      nextAttemptAt: { $lte: now },
    };
    const candidates = await tenant.run((db) =>
      outbox(db).find(due, { _id: 1 }).sort({ nextAttemptAt: 1 }).limit(limit).lean<Array<{ _id: Types.ObjectId }>>().exec(),
    );
    if (candidates.length === 0) return [];
    const lease = randomUUID();
    await tenant.run((db) =>
      outbox(db).collection.updateMany(
        { $and: [{ _id: { $in: candidates.map((c) => c._id) } }, due] },
        { $set: { status: 'sending', lease, leaseUntil: new Date(now.getTime() + leaseMs), updatedAt: now } },
      ),
    );
    const claimed = await tenant.run((db) => outbox(db).find({ lease, status: 'sending' }).sort({ createdAt: 1, _id: 1 }).lean<RawOutbound[]>().exec());
    return claimed.map(toView);
  }

  /** Ends messages whose sender died mid-send: whether WhatsApp got them is unknown, so they are not resent. */
  async failAbandoned(tenant: TenantContext, now: Date, sessions: string[], reason: string): Promise<number> {
    const result = await tenant.run((db) =>
      outbox(db).collection.updateMany(
        { 'session.name': { $in: sessions }, status: 'sending', leaseUntil: { $lt: now } },
        { $set: { status: 'failed', reason, updatedAt: now }, $unset: { lease: 1, leaseUntil: 1 } },
      ),
    );
    return result.modifiedCount;
  }

  /** Makes a session's waiting messages due now (it just became able to send). */
  async wakeSession(tenant: TenantContext, session: string, now: Date): Promise<void> {
    await tenant.run((db) => outbox(db).collection.updateMany({ 'session.name': session, status: 'queued' }, { $set: { nextAttemptAt: now } }));
  }

  async markSent(tenant: TenantContext, id: string, providerMessageId: string, attempts: number): Promise<void> {
    await this.settle(tenant, id, { status: 'sent', providerMessageId, attempts }, ['lease', 'leaseUntil', 'reason']);
  }

  /** Back to queued for a later attempt; `attempts` counts only real tries. */
  async retryLater(tenant: TenantContext, id: string, at: Date, attempts: number, reason: string): Promise<void> {
    await this.settle(tenant, id, { status: 'queued', nextAttemptAt: at, attempts, reason }, ['lease', 'leaseUntil']);
  }

  async markFailed(tenant: TenantContext, id: string, attempts: number, reason: string): Promise<void> {
    await this.settle(tenant, id, { status: 'failed', attempts, reason }, ['lease', 'leaseUntil']);
  }

  /** Applies a provider ack; statuses only move forward. */
  async applyAck(tenant: TenantContext, providerMessageId: string, status: Exclude<OutboundStatus, 'queued'>, reason?: string): Promise<boolean> {
    const behind = Object.entries(STATUS_RANK)
      .filter(([, rank]) => rank < STATUS_RANK[status])
      .map(([name]) => name);
    const result = await tenant.run((db) =>
      outbox(db).collection.updateOne(
        { providerMessageId, status: { $in: behind } },
        { $set: { status, updatedAt: new Date(), ...(reason ? { reason } : {}) } },
      ),
    );
    return result.modifiedCount === 1;
  }

  private async settle(tenant: TenantContext, id: string, fields: Record<string, unknown>, unset: string[]): Promise<void> {
    await tenant.run((db) =>
      outbox(db).collection.updateOne(
        { _id: new Types.ObjectId(id) },
        { $set: { ...fields, updatedAt: new Date() }, $unset: Object.fromEntries(unset.map((field) => [field, 1])) },
      ),
    );
  }
}

type RawOutbound = Omit<OutboundView, 'id' | 'session'> & { _id: Types.ObjectId; session: { name: string } };

/** Messages queued by the first API have no `kind`: text, or `mediaUrl` and `caption`. */
type LegacyFields = { kind?: undefined; text?: string; mediaUrl?: string; caption?: string };

function toView(raw: RawOutbound & { lease?: string; leaseUntil?: Date; nextAttemptAt?: Date }): OutboundView {
  const { _id, session, lease, leaseUntil, nextAttemptAt, ...rest } = raw;
  void lease;
  void leaseUntil;
  void nextAttemptAt;
  const view = { ...rest, id: _id.toHexString(), session: session.name } as OutboundView;
  if (view.kind !== undefined) return view;
  const { mediaUrl, caption, text, ...record } = view as unknown as LegacyFields & { to: string; [field: string]: unknown };
  const content = contentOf(mediaUrl ? { to: record.to, mediaUrl, caption } : { to: record.to, text });
  return { ...record, ...content } as OutboundView;
}
