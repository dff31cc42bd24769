import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { SessionStatus } from './session-status';
import { SessionDocument } from './schemas/session.schema';

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
  createdAt: Date;
  updatedAt: Date;
}

export type SessionPatch = Partial<Pick<SessionRecord, 'desired' | 'status' | 'reason' | 'phone' | 'qr' | 'lastActivityAt'>>;

const DUPLICATE_KEY = 11000;
const idOf = (company: string, name: string) => `${company}:${name}`;

/** Sessions in the control database; every method names the company. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectModel(SessionDocument.name) private readonly sessions: Model<SessionDocument>) {}

  async create(company: string, name: string, provider: string, sender?: string): Promise<SessionRecord | null> {
    try {
      const doc = await this.sessions.create({ _id: idOf(company, name), company, name, provider, desired: 'stopped', status: 'STOPPED', ...(sender ? { sender } : {}) });
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

  async countByStatus(company: string): Promise<Partial<Record<SessionStatus, number>>> {
    const rows = await this.sessions
      .aggregate<{ _id: SessionStatus; count: number }>([{ $match: { company } }, { $group: { _id: '$status', count: { $sum: 1 } } }])
      .exec();
    return Object.fromEntries(rows.map((row) => [row._id, row.count]));
  }

  async listDesiredRunning(): Promise<SessionRecord[]> {
    const docs = await this.sessions.find({ desired: 'running' }).sort({ lastActivityAt: -1 }).lean<SessionDocument[]>().exec();
    return docs.map(toRecord);
  }

  async update(company: string, name: string, patch: SessionPatch, unset: Array<keyof SessionPatch> = []): Promise<void> {
    const update: Record<string, unknown> = { $set: patch };
    if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((field) => [field, 1]));
    await this.sessions.updateOne({ _id: idOf(company, name), company }, update).exec();
  }

  async delete(company: string, name: string): Promise<boolean> {
    const result = await this.sessions.deleteOne({ _id: idOf(company, name), company }).exec();
    return result.deletedCount === 1;
  }
}

function toRecord(doc: SessionDocument): SessionRecord {
  const { _id, ...rest } = doc;
  void _id;
  return rest;
}
