import { Inject, Injectable } from '@nestjs/common';
import { toDataURL, toBuffer } from 'qrcode';
import { ingestConfig, type IngestConfig } from '../core/config/configuration';
import { ProspectsException } from '../prospects/prospects.exception';
import { toE164 } from '../prospects/phone-number';
import { CompaniesService } from '../tenancy/companies.service';
import { SessionManager } from './session-manager.service';
import type { SessionStatus } from './session-status';
import { SessionsException } from './sessions.exception';
import { SessionsRepository, type SessionRecord } from './sessions.repository';

export interface SessionView {
  company: string;
  name: string;
  provider: string;
  status: SessionStatus;
  desired: 'running' | 'stopped';
  reason?: string;
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
    return (await this.repository.listByCompany(company.slug)).map(toView);
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
    return { code: await this.manager.requestPairingCode(await this.companies.get(companySlug), name, phone.e164) };
  }

  private async currentQr(companySlug: string, name: string): Promise<string> {
    const record = await this.record(companySlug, name);
    if (record.status !== 'SCAN_QR' || !record.qr) throw SessionsException.notReady(name, record.status);
    return record.qr;
  }

  private async record(companySlug: string, name: string): Promise<SessionRecord> {
    const company = await this.companies.get(companySlug);
    const record = await this.repository.find(company.slug, name);
    if (!record) throw SessionsException.notFound(company.slug, name);
    return record;
  }
}

function toView(record: SessionRecord): SessionView {
  const { qr, ...view } = record;
  void qr;
  return view;
}
