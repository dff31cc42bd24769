import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { LidMappingsRepository } from '../conversations/lid-mappings.repository';
import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';
import { ProspectsException } from '../prospects/prospects.exception';
import { ProspectsService } from '../prospects/prospects.service';
import { ProviderRegistry } from '../providers/provider-registry';
import { unsupportedOperation } from '../providers/unsupported-operation';
import type { NumberCheck, ProviderClient } from '../providers/provider.port';
import { SessionManager } from '../sessions/session-manager.service';
import { SessionsService } from '../sessions/sessions.service';
import type { CompanyRecord } from '../tenancy/company';
import type { TenantContext } from '../tenancy/tenant-context';
import { contactsConfig, type ContactsConfig } from './contacts.config';
import type { ContactCheckView, ContactProfileView } from './dto/check-contacts.dto';

/**
 * Contact lookups on WhatsApp, through the session's live connection (its owner process; 409 elsewhere). Answers
 * are cached per session, and what is not cached is rate-limited per session, all or nothing (429 with Retry-After):
 * bursts of lookups are what gets accounts banned. LIDs learnt on the way are kept in the company's `lid_mappings`.
 */
@Injectable()
export class ContactsService {
  private readonly cache: LRUCache<string, NumberCheck>;
  private readonly limiter: RateLimiterMemory;

  constructor(
    private readonly sessions: SessionsService,
    private readonly manager: SessionManager,
    private readonly registry: ProviderRegistry,
    private readonly prospects: ProspectsService,
    private readonly lidMappings: LidMappingsRepository,
    @Inject(contactsConfig.KEY) private readonly config: ContactsConfig,
  ) {
    this.cache = new LRUCache({ max: 50_000, ttl: config.cacheMs });
    this.limiter = new RateLimiterMemory({ keyPrefix: 'contact-checks', points: config.checksPerMinute, duration: 60 });
  }

  async check(tenant: TenantContext, session: string, numbers: string[]): Promise<ContactCheckView[]> {
    const company = tenant.company;
    const phones = numbers.map((number) => this.phoneOrNull(number));
    const key = (phone: string) => `${company.slug}:${session}:${phone}`;
    const unknown = [...new Set(phones.filter((phone): phone is string => phone !== null && !this.cache.has(key(phone))))];
    if (unknown.length > 0) {
      const client = await this.clientFor(company, session);
      await this.take(`${company.slug}:${session}`, unknown.length);
      const answers = await client.checkNumbers!(unknown).catch((error: Error) => {
        if (/rate-limited/.test(error.message)) throw rateLimited(60);
        throw error;
      });
      for (const answer of answers)
        this.cache.set(key(answer.phone), answer, { ttl: answer.exists ? this.config.cacheMs : Math.ceil(this.config.cacheMs / 10) });
      const mappings = answers.flatMap((answer) => (answer.lid ? [{ lid: answer.lid, phone: answer.phone }] : []));
      if (mappings.length > 0) await this.lidMappings.save(tenant, mappings);
    } else {
      await this.sessions.get(company, session);
    }
    return numbers.map((number, index) => {
      const phone = phones[index];
      const answer = phone === null ? undefined : this.cache.get(key(phone));
      const view: ContactCheckView = { number, phone, exists: answer?.exists ?? false };
      if (answer?.jid) view.jid = answer.jid;
      if (answer?.lid) view.lid = answer.lid;
      return view;
    });
  }

  /** Profile name and picture as WhatsApp shows them; the name the contact wrote with as a fallback. */
  async profile(tenant: TenantContext, session: string, rawPhone: string): Promise<ContactProfileView> {
    const phone = this.prospects.normalize(rawPhone);
    const client = await this.clientFor(tenant.company, session);
    const profile = await client.profile!(phone);
    const name = profile.name ?? (await this.prospects.get(tenant, phone).catch(() => undefined))?.name;
    return { phone, ...(name ? { name } : {}), ...(profile.pictureUrl ? { pictureUrl: profile.pictureUrl } : {}) };
  }

  private async clientFor(company: CompanyRecord, session: string): Promise<ProviderClient> {
    await this.sessions.get(company, session);
    const adapter = this.registry.adapterFor(company);
    if (!adapter.supports('contacts')) throw unsupportedOperation(adapter.name, 'contacts');
    const client = this.manager.ownedClient(company, session);
    if (!client.checkNumbers || !client.profile) throw unsupportedOperation(adapter.name, 'contacts');
    return client;
  }

  private async take(key: string, points: number): Promise<void> {
    try {
      await this.limiter.consume(key, points);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw rateLimited(rejection.msBeforeNext / 1000);
      throw rejection;
    }
  }

  private phoneOrNull(number: string): string | null {
    try {
      return this.prospects.normalize(number);
    } catch (error) {
      if (error instanceof ProspectsException) return null;
      throw error;
    }
  }
}

function rateLimited(retryAfterSeconds: number): AppException {
  return new AppException(ErrorCode.RATE_LIMITED, 'number checks for this session are over their rate limit; try again later', { retryAfterSeconds });
}
