import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { SessionDocument } from './schemas/session.schema';
import { SessionDocumentWrites } from './session-document-writes';

export interface Lease {
  owner: string;
  token: number;
}

export interface OwnedSession {
  id: string;
  token: number;
  desired: 'running' | 'stopped';
  logoutRequested?: boolean;
  pairingPhone?: string;
}

const idOf = (company: string, name: string) => `${company}:${name}`;

/**
 * Session leases, kept on the session documents of the control database: claims and renewals are single
 * atomic updates, and status writes of the owner are conditioned on its token (see SessionsRepository).
 */
@Injectable()
export class SessionLeaseRepository {
  constructor(
    @InjectModel(SessionDocument.name) private readonly sessions: Model<SessionDocument>,
    private readonly writes: SessionDocumentWrites,
  ) {}

  /** Takes the lease when it is free or expired, raising the fencing token; null when a live owner holds it. */
  async claim(company: string, name: string, owner: string, now: Date, ttlMs: number): Promise<Lease | null> {
    const doc = await this.writes.run(() =>
      this.sessions
        .findOneAndUpdate(
          { _id: idOf(company, name), $or: [{ owner: null }, { owner }, { leaseExpiresAt: { $lt: now } }] },
          { $set: { owner, leaseExpiresAt: new Date(now.getTime() + ttlMs) }, $inc: { fence: 1 } },
          { returnDocument: 'after' },
        )
        .lean<{ fence: number }>()
        .exec(),
    );
    return doc ? { owner, token: doc.fence } : null;
  }

  /** Extends every lease of `owner` in one statement; returns the sessions it still owns. */
  async renewAll(owner: string, now: Date, ttlMs: number): Promise<OwnedSession[]> {
    await this.writes.run(() => this.sessions.updateMany({ owner }, { $set: { leaseExpiresAt: new Date(now.getTime() + ttlMs) } }).exec());
    const docs = await this.sessions
      .find({ owner }, { _id: 1, fence: 1, desired: 1, logoutRequested: 1, pairingPhone: 1 })
      .lean<Array<{ _id: string; fence: number; desired: 'running' | 'stopped'; logoutRequested?: boolean; pairingPhone?: string }>>()
      .exec();
    return docs.map((doc) => ({ id: doc._id, token: doc.fence, desired: doc.desired, logoutRequested: doc.logoutRequested, pairingPhone: doc.pairingPhone }));
  }

  async release(company: string, name: string, lease: Lease): Promise<void> {
    await this.writes.run(() =>
      this.sessions
        .updateOne({ _id: idOf(company, name), owner: lease.owner, fence: lease.token }, { $set: { owner: null }, $unset: { leaseExpiresAt: 1 } })
        .exec(),
    );
  }

  async isCurrent(company: string, name: string, lease: Lease): Promise<boolean> {
    const doc = await this.sessions.findById(idOf(company, name), { owner: 1, fence: 1 }).lean<{ owner?: string | null; fence?: number }>().exec();
    return doc?.owner === lease.owner && doc.fence === lease.token;
  }
}
