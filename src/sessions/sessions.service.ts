import { Inject, Injectable } from '@nestjs/common';
import { toDataURL, toBuffer } from 'qrcode';
import { ingestConfig, type IngestConfig } from '../core/config/configuration';
import { ProspectsException } from '../prospects/prospects.exception';
import { toE164 } from '../prospects/phone-number';
import { CompaniesService } from '../tenancy/companies.service';
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
    private readonly companies: CompaniesService,
    private readonly repository: SessionsRepository,
    private readonly manager: SessionManager,
    private readonly sync: SessionOwnerSync,
    @Inject(ingestConfig.KEY) private readonly ingest: IngestConfig,
  ) {}

  async create(companySlug: string, name: string, sender?: string): Promise<SessionView> {
    const company = await this.companies.get(companySlug);
    if (sender !== undefined && company.provider !== 'twilio') throw SessionsException.senderNotSupported(company.provider);
    const created = await this.repository.create(company.slug, name, company.provider, sender);
    if (!created) throw SessionsException.alreadyExists(name);
    return toView(created);
  }

  async list(companySlug: string): Promise<SessionView[]> {
    const company = await this.companies.get(companySlug);
    return (await this.repository.listByCompany(company.slug)).map((record) => toView(record));
  }

  async get(companySlug: string, name: string): Promise<SessionView> {
    return toView(await this.record(companySlug, name));
  }

  async start(companySlug: string, name: string): Promise<SessionView> {
    await this.manager.start(await this.companies.get(companySlug), name);
    return this.get(companySlug, name);
  }

  async stop(companySlug: string, name: string): Promise<SessionView> {
    await this.manager.stop(await this.companies.get(companySlug), name);
    return this.get(companySlug, name);
  }

  async logout(companySlug: string, name: string): Promise<SessionView> {
    await this.manager.logout(await this.companies.get(companySlug), name);
    return this.get(companySlug, name);
  }

  async remove(companySlug: string, name: string): Promise<void> {
    const company = await this.companies.get(companySlug);
    await this.manager.remove(company, name);
    await this.repository.delete(company.slug, name);
  }

  async qr(companySlug: string, name: string): Promise<{ qr: string; dataUrl: string }> {
    const qr = await this.currentQr(companySlug, name);
    return { qr, dataUrl: await toDataURL(qr, { margin: 1 }) };
  }

  async qrPng(companySlug: string, name: string): Promise<Buffer> {
    return toBuffer(await this.currentQr(companySlug, name), { type: 'png', margin: 1, width: 320 });
  }

  async pairingCode(companySlug: string, name: string, rawPhone: string): Promise<{ code: string }> {
    const phone = toE164(rawPhone, this.ingest.defaultPhoneRegion);
    if (!phone.ok) throw ProspectsException.invalidNumber(phone.reason);
    const company = await this.companies.get(companySlug);
    const local = await this.manager.requestPairingCode(company, name, phone.e164);
    if (local !== null) return { code: local };
    const record = await this.record(companySlug, name);
    const { status } = effectiveState(record);
    if (status !== 'SCAN_QR') throw SessionsException.notReady(name, status);
    const code = await this.sync.pairingCodeFromOwner(company.slug, name, phone.e164);
    if (code === null) throw SessionsException.notReady(name, 'not answered by its owner');
    return { code };
  }

  /** A send for an idle-suspended session is demand: it may be claimed again. */
  async wakeForDemand(companySlug: string, name: string): Promise<void> {
    const record = await this.record(companySlug, name);
    if (record.idle) await this.repository.update(record.company, name, {}, ['idle']);
  }

  private async currentQr(companySlug: string, name: string): Promise<string> {
    const record = await this.record(companySlug, name);
    const { status } = effectiveState(record);
    if (status !== 'SCAN_QR' || !record.qr) throw SessionsException.notReady(name, status);
    return record.qr;
  }

  private async record(companySlug: string, name: string): Promise<SessionRecord> {
    const company = await this.companies.get(companySlug);
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
