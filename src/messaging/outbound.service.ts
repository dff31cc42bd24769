import { Inject, Injectable } from '@nestjs/common';
import { isLid } from '../conversations/chat-address';
import { ChatsRepository } from '../conversations/chats.repository';
import { LidMappingsRepository } from '../conversations/lid-mappings.repository';
import { MessagesRepository } from '../conversations/messages.repository';
import { providersConfig, type ProvidersConfig } from '../core/config/configuration';
import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';
import { ProspectsService } from '../prospects/prospects.service';
import { isPrivateAddress } from '../providers/media-fetch';
import { ProviderRegistry } from '../providers/provider-registry';
import { SessionsService } from '../sessions/sessions.service';
import { CompaniesService } from '../tenancy/companies.service';
import type { TenantContext } from '../tenancy/tenant-context';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import type { SendMessageDto } from './dto/send-message.dto';
import { MessagingException } from './messaging.exception';
import { capabilitiesFor, contentOf } from './outbound-content';
import { IDEMPOTENCY_KEY, type OutboundView, type StoredContent, type StoredRef } from './outbound-message';
import { OutboundWorker } from './outbound-worker.service';
import { OutboxRepository } from './outbox.repository';
import { isWithinSessionWindow } from './session-window';


/**
 * Accepts outbound messages: everything that can be decided here is, before anything is queued (what the provider
 * can send, the message quoted or reacted to, WhatsApp's 24-hour window, the media URL's host); then the message is
 * stored as queued and left to the worker.
 */
@Injectable()
export class OutboundService {
  constructor(
    private readonly pool: TenantConnectionPool,
    private readonly companies: CompaniesService,
    private readonly sessions: SessionsService,
    private readonly prospects: ProspectsService,
    private readonly registry: ProviderRegistry,
    private readonly messages: MessagesRepository,
    private readonly chats: ChatsRepository,
    private readonly lidMappings: LidMappingsRepository,
    private readonly outbox: OutboxRepository,
    private readonly worker: OutboundWorker,
    @Inject(providersConfig.KEY) private readonly providers: ProvidersConfig,
  ) {}

  async enqueue(company: string, session: string, body: SendMessageDto, idempotencyKey?: string): Promise<{ message: OutboundView; created: boolean }> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'Idempotency-Key must be 1-128 letters, digits or . _ : -');
    }
    await this.sessions.get(company, session);
    const adapter = this.registry.adapterFor(await this.companies.get(company));
    const tenant = await this.pool.forCompany(company);
    const to = await this.recipientOf(tenant, body.to, adapter.name);
    const replyToId = 'replyTo' in body ? body.replyTo : undefined;
    const kind = 'kind' in body ? body.kind : contentOf(body).kind;
    for (const capability of capabilitiesFor({ kind } as StoredContent, replyToId !== undefined)) {
      if (!adapter.supports(capability)) throw MessagingException.unsupported(capability, adapter.name);
    }
    const replyTo = replyToId ? await this.storedRef(tenant, session, to, replyToId) : undefined;
    const target = 'kind' in body && body.kind === 'reaction' ? await this.storedRef(tenant, session, to, body.messageId) : undefined;
    const content = contentOf(body, target);
    this.assertSendable(content);
    if (adapter.needsOpenWindow && content.kind !== 'template') await this.assertWindowOpen(tenant, session, to);
    await this.sessions.wakeForDemand(company, session);
    const result = await this.outbox.enqueue(tenant, { session, to, content, ...(replyTo ? { replyTo } : {}), idempotencyKey });
    if (result.created) this.worker.kick();
    return result;
  }

  async get(company: string, session: string, id: string): Promise<OutboundView> {
    await this.sessions.get(company, session);
    const message = await this.outbox.find(await this.pool.forCompany(company), session, id);
    if (!message) throw new AppException(ErrorCode.NOT_FOUND, `no outbound message ${id} in session ${session}`);
    return message;
  }

  /**
   * The recipient in E.164; a contact WhatsApp showed only by LID is answered at the phone behind it when the
   * company's `lid_mappings` know it, else at the LID itself (WhatsApp clients accept it; Twilio does not).
   */
  private async recipientOf(tenant: TenantContext, raw: string, provider: string): Promise<string> {
    if (!isLid(raw)) return this.prospects.normalize(raw);
    const phone = await this.lidMappings.phoneOf(tenant, raw);
    if (phone) return this.prospects.normalize(phone);
    if (provider === 'twilio') return this.prospects.normalize(raw);
    return raw;
  }

  /** A stored message of this chat, which a reply quotes or a reaction is for. */
  private async storedRef(tenant: TenantContext, session: string, phone: string, id: string): Promise<StoredRef> {
    const stored = await this.messages.findById(tenant, id);
    if (!stored || stored.session !== session || stored.phone !== phone) throw MessagingException.quotedNotFound(id);
    const ref: StoredRef = { messageId: id, providerMessageId: stored.providerMessageId, fromMe: stored.direction === 'outbound' };
    if (stored.text !== undefined) ref.text = stored.text;
    return ref;
  }

  /** Template variables are strings; a media URL naming a private address is refused now (names are checked when fetched). */
  private assertSendable(content: StoredContent): void {
    if (content.kind === 'template' && content.variables && !Object.values(content.variables).every((value) => typeof value === 'string' && value.length <= 1024)) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'template variables must be strings of at most 1024 characters');
    }
    if (!('url' in content) || this.providers.media.allowPrivate) return;
    const host = new URL(content.url).hostname.replace(/^\[|\]$/g, '');
    if (host === 'localhost' || host.endsWith('.localhost') || (/^[\d.]+$|:/.test(host) && isPrivateAddress(host))) {
      throw MessagingException.mediaUrlRefused(content.url, `${host} is a private address`);
    }
  }

  private async assertWindowOpen(tenant: TenantContext, session: string, phone: string): Promise<void> {
    const chat = await this.chats.find(tenant, session, phone);
    const lastInboundAt = chat?.lastInboundAt ?? (chat?.lastMessage?.direction === 'inbound' ? chat.lastMessage.at : undefined);
    if (!isWithinSessionWindow(lastInboundAt, new Date())) throw MessagingException.outsideWindow(lastInboundAt);
  }
}
