import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { Lease } from './session-lease.repository';
import { SessionDocument } from './schemas/session.schema';
import { SessionDocumentWrites } from './session-document-writes';
import { ACTIVE_STATUSES, type SessionStatus } from './session-status';

export interface SessionRecord {
  company: string;
  name: string;
  provider: string;
  desired: 'running' | 'stopped';
  status: SessionStatus;
  reason?: string;
  phone?: string;
  sender?: string;
  qr?: string;
  lastActivityAt?: Date;
  owner?: string | null;
  leaseExpiresAt?: Date;
  fence?: number;
  idle?: boolean;
  pairingPhone?: string;
  pairingCode?: string;
  logoutRequested?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type SessionPatch = Partial<
  Pick<SessionRecord, 'desired' | 'status' | 'reason' | 'phone' | 'qr' | 'lastActivityAt' | 'idle' | 'pairingPhone' | 'pairingCode' | 'logoutRequested'>
>;

const DUPLICATE_KEY = 11000;
const idOf = (company: string, name: string) => `${company}:${name}`;
const unsetOf = (fields: string[]) => (fields.length > 0 ? { $unset: Object.fromEntries(fields.map((field) => [field, 1])) } : {});

/** Whether a live process holds the session's lease at `now`. */
export function hasLiveOwner(record: Pick<SessionRecord, 'owner' | 'leaseExpiresAt'>, now = new Date()): boolean {
  return !!record.owner && !!record.leaseExpiresAt && record.leaseExpiresAt > now;
}

/**
 * The status to report: a running status whose lease no live process holds is not true any more (the owner
 * crashed or stopped renewing), so it reads as SUSPENDED with the reason until a process claims the session.
 */
export function effectiveState(record: SessionRecord, now = new Date()): { status: SessionStatus; reason?: string } {
  if (!ACTIVE_STATUSES.has(record.status) || hasLiveOwner(record, now)) return { status: record.status, reason: record.reason };
  const last = record.owner ? `the lease of ${record.owner} expired` : 'no process owns it';
  return { status: 'SUSPENDED', reason: `not running: ${last}; waiting for a process with a free slot` };
}

/** Sessions in the control database; every method names the company. */
@Injectable()
export class SessionsRepository {
  constructor(
    @InjectModel(SessionDocument.name) private readonly sessions: Model<SessionDocument>,
    private readonly writes: SessionDocumentWrites,
  ) {}

  async create(company: string, name: string, provider: string, sender?: string): Promise<SessionRecord | null> {
    try {
      const doc = await this.sessions.create({
        _id: idOf(company, name),
        company,
        name,
        provider,
        desired: 'stopped',
        status: 'STOPPED',
        owner: null,
        fence: 0,
        ...(sender ? { sender } : {}),
      });
      return toRecord(doc.toObject());
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return null;
      throw error;
    }
  }

  async find(company: string, name: string): Promise<SessionRecord | null> {
    const doc = await this.sessions.findById(idOf(company, name)).lean<SessionDocument>().exec();
    return doc ? toRecord(doc) : null;
  }

  async listByCompany(company: string): Promise<SessionRecord[]> {
    const docs = await this.sessions.find({ company }).sort({ name: 1 }).lean<SessionDocument[]>().exec();
    return docs.map(toRecord);
  }

  /** Sessions per effective status (what actually runs, not what a crashed owner last wrote). */
  async countByStatus(company: string, now = new Date()): Promise<Partial<Record<SessionStatus, number>>> {
    const counts: Partial<Record<SessionStatus, number>> = {};
    for (const record of await this.listByCompany(company)) {
      const { status } = effectiveState(record, now);
      counts[status] = (counts[status] ?? 0) + 1;
    }
    return counts;
  }

  /** Sessions that should run and have no live owner, not idle, the longest-waiting first. */
  async listClaimable(now = new Date()): Promise<SessionRecord[]> {
    const docs = await this.sessions.find({ desired: 'running' }).lean<SessionDocument[]>().exec();
    return docs
      .map(toRecord)
      .filter((record) => !record.idle && !hasLiveOwner(record, now))
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime());
  }

  async listTerminalNames(company: string): Promise<string[]> {
    const docs = await this.sessions
      .find({ company, status: { $in: ['LOGGED_OUT', 'FAILED'] } }, { name: 1 })
      .lean<Array<{ name: string }>>()
      .exec();
    return docs.map((doc) => doc.name);
  }

  /** A write anyone may make (desired state, requests to the owner). */
  async update(company: string, name: string, patch: SessionPatch, unset: Array<keyof SessionPatch> = []): Promise<void> {
    await this.writes.run(() => this.sessions.updateOne({ _id: idOf(company, name), company }, { $set: patch, ...unsetOf(unset) }).exec());
  }

  /** The owner's write: refused (false) unless `lease` is still the session's lease. */
  async updateAsOwner(company: string, name: string, lease: Lease, patch: SessionPatch, unset: Array<keyof SessionPatch> = []): Promise<boolean> {
    const result = await this.writes.run(() =>
      this.sessions.updateOne({ _id: idOf(company, name), owner: lease.owner, fence: lease.token }, { $set: patch, ...unsetOf(unset) }).exec(),
    );
    return result.matchedCount === 1;
  }

  /** A write about a session no live process owns (truthful status after a crash or for lack of room). */
  async updateUnowned(company: string, name: string, patch: SessionPatch, now = new Date()): Promise<boolean> {
    const result = await this.writes.run(() =>
      this.sessions.updateOne({ _id: idOf(company, name), $or: [{ owner: null }, { leaseExpiresAt: { $lt: now } }] }, { $set: patch }).exec(),
    );
    return result.matchedCount === 1;
  }

  async delete(company: string, name: string): Promise<boolean> {
    const result = await this.sessions.deleteOne({ _id: idOf(company, name), company }).exec();
    return result.deletedCount === 1;
  }
}

function toRecord(doc: SessionDocument): SessionRecord {
  const { _id, ...rest } = doc;
  void _id;
  return rest as SessionRecord;
}
