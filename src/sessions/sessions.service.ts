import { Inject, Injectable } from '@nestjs/common';
import { toDataURL, toBuffer } from 'qrcode';
import { ingestConfig, type IngestConfig } from '../core/config/configuration';
import { ProspectsException } from '../prospects/prospects.exception';
import { toE164 } from '../prospects/phone-number';
import type { CompanyRecord } from '../tenancy/company';
import { SessionManager } from './session-manager.service';
import { SessionOwnerSync } from './session-owner-sync';
import type { SessionStatus } from './session-status';
import { SessionsException } from './sessions.exception';
import { SessionsRepository, effectiveState, hasLiveOwner, type SessionRecord } from './sessions.repository';

export interface SessionView {
  company: string;
  name: string;
  provider: string;
  status: SessionStatus;
  desired: 'running' | 'stopped';
  /** Why it is not running (or what it last went through). */
  reason?: string;
  /** The process running the session's client, or null when none does. */
  owner: string | null;
  phone?: string;
  sender?: string;
  lastActivityAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** What company admins do with their sessions; the live work is the session manager's. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly repository: SessionsRepository,
    private readonly manager: SessionManager,
    private readonly sync: SessionOwnerSync,
    @Inject(ingestConfig.KEY) private readonly ingest: IngestConfig,
  ) {}

  async create(company: CompanyRecord, name: string, sender?: string): Promise<SessionView> {
    if (sender !== undefined && company.provider !== 'twilio') throw SessionsException.senderNotSupported(company.provider);
    const created = await this.repository.create(company.slug, name, company.provider, sender);
    if (!created) throw SessionsException.alreadyExists(name);
    return toView(created);
  }

  async list(company: CompanyRecord): Promise<SessionView[]> {
    return (await this.repository.listByCompany(company.slug)).map((record) => toView(record));
  }

  async get(company: CompanyRecord, name: string): Promise<SessionView> {
    return toView(await this.record(company, name));
  }

  async start(company: CompanyRecord, name: string): Promise<SessionView> {
    await this.manager.start(company, name);
    return this.get(company, name);
  }

  async stop(company: CompanyRecord, name: string): Promise<SessionView> {
    await this.manager.stop(company, name);
    return this.get(company, name);
  }

  async logout(company: CompanyRecord, name: string): Promise<SessionView> {
    await this.manager.logout(company, name);
    return this.get(company, name);
  }

  async remove(company: CompanyRecord, name: string): Promise<void> {
    await this.manager.remove(company, name);
    await this.repository.delete(company.slug, name);
  }

  async qr(company: CompanyRecord, name: string): Promise<{ qr: string; dataUrl: string }> {
    const qr = await this.currentQr(company, name);
    return { qr, dataUrl: await toDataURL(qr, { margin: 1 }) };
  }

  async qrPng(company: CompanyRecord, name: string): Promise<Buffer> {
    return toBuffer(await this.currentQr(company, name), { type: 'png', margin: 1, width: 320 });
  }

  async pairingCode(company: CompanyRecord, name: string, rawPhone: string): Promise<{ code: string }> {
    const phone = toE164(rawPhone, this.ingest.defaultPhoneRegion);
    if (!phone.ok) throw ProspectsException.invalidNumber(phone.reason);
    const local = await this.manager.requestPairingCode(company, name, phone.e164);
    if (local !== null) return { code: local };
    const record = await this.record(company, name);
    const { status } = effectiveState(record);
    if (status !== 'SCAN_QR') throw SessionsException.notReady(name, status);
    const code = await this.sync.pairingCodeFromOwner(company.slug, name, phone.e164);
    if (code === null) throw SessionsException.notReady(name, 'not answered by its owner');
    return { code };
  }

  /** A send for an idle-suspended session is demand: it may be claimed again. */
  async wakeForDemand(company: CompanyRecord, name: string): Promise<void> {
    const record = await this.record(company, name);
    if (record.idle) await this.repository.update(record.company, name, {}, ['idle']);
  }

  private async currentQr(company: CompanyRecord, name: string): Promise<string> {
    const record = await this.record(company, name);
    const { status } = effectiveState(record);
    if (status !== 'SCAN_QR' || !record.qr) throw SessionsException.notReady(name, status);
    return record.qr;
  }

  private async record(company: CompanyRecord, name: string): Promise<SessionRecord> {
    const record = await this.repository.find(company.slug, name);
    if (!record) throw SessionsException.notFound(company.slug, name);
    return record;
  }
}

function toView(record: SessionRecord, now = new Date()): SessionView {
  const { company, name, provider, desired, phone, lastActivityAt, createdAt, updatedAt } = record;
  const { status, reason } = effectiveState(record, now);
  const view: SessionView = { company, name, provider, status, desired, owner: hasLiveOwner(record, now) ? record.owner! : null, createdAt, updatedAt };
  if (reason !== undefined) view.reason = reason;
  if (phone !== undefined) view.phone = phone;
  if (lastActivityAt !== undefined) view.lastActivityAt = lastActivityAt;
  return view;
}
