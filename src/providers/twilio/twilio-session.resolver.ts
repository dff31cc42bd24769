import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ingestConfig, providersConfig, type IngestConfig, type ProvidersConfig } from '../../core/config/configuration';
import { toE164 } from '../../prospects/phone-number';
import { SessionsException } from '../../sessions/sessions.exception';
import { SessionsRepository, type SessionRecord } from '../../sessions/sessions.repository';
import { twilioAccountOf } from './twilio-account';

/** Sessions change rarely; a webhook burst should not read them once per message. */
const SESSIONS_TTL_MS = 5_000;

/**
 * Which session a Twilio webhook belongs to, by the number that received it (`To`) or the Messaging
 * Service that did. Twilio sends one webhook per message whatever the number of sessions, so exactly
 * one session is named, running or not: the message is stored once, under it.
 */
@Injectable()
export class TwilioSessionResolver {
  private readonly cache = new LRUCache<string, SessionRecord[]>({ max: 1_000, ttl: SESSIONS_TTL_MS });

  constructor(
    private readonly sessions: SessionsRepository,
    @Inject(providersConfig.KEY) private readonly providers: ProvidersConfig,
    @Inject(ingestConfig.KEY) private readonly ingest: IngestConfig,
  ) {}

  async resolve(company: string, to: string, messagingServiceSid?: string): Promise<string> {
    const sessions = await this.sessionsOf(company);
    const byService = messagingServiceSid ? sessions.find((session) => session.sender === messagingServiceSid) : undefined;
    if (byService) return byService.name;
    const receiver = this.e164(to);
    const byNumber = sessions.find((session) => session.sender !== undefined && this.e164(session.sender) === receiver);
    if (byNumber) return byNumber.name;
    const account = twilioAccountOf(this.providers, company);
    // Sessions without a sender of their own share the account's; the first by name takes its messages.
    const onAccountNumber = account && this.e164(account.from) === receiver ? sessions.find((session) => session.sender === undefined) : undefined;
    if (onAccountNumber) return onAccountNumber.name;
    throw SessionsException.noTwilioReceiver(company, receiver);
  }

  private async sessionsOf(company: string): Promise<SessionRecord[]> {
    const cached = this.cache.get(company);
    if (cached) return cached;
    const sessions = await this.sessions.listByCompany(company);
    this.cache.set(company, sessions);
    return sessions;
  }

  private e164(address: string): string {
    const parsed = toE164(address, this.ingest.defaultPhoneRegion);
    return parsed.ok ? parsed.e164 : address.replace(/^whatsapp:/, '');
  }
}
