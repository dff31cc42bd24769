import { Inject, Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
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
import type { CompanyRecord } from '../tenancy/company';
import type { TenantContext } from '../tenancy/tenant-context';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import type { SendMessageDto } from './dto/send-message.dto';
import type { UploadMessageFields } from './dto/upload-message.dto';
import { MessagingException } from './messaging.exception';
import { capabilitiesFor, contentOf, mediaKindOf, withoutUndefined } from './outbound-content';
import { IDEMPOTENCY_KEY, type OutboundView, type StoredContent, type StoredRef } from './outbound-message';
import { OutboundUploads, type UploadedFile } from './outbound-uploads';
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
    private readonly sessions: SessionsService,
    private readonly prospects: ProspectsService,
    private readonly registry: ProviderRegistry,
    private readonly messages: MessagesRepository,
    private readonly chats: ChatsRepository,
    private readonly lidMappings: LidMappingsRepository,
    private readonly outbox: OutboxRepository,
    private readonly worker: OutboundWorker,
    private readonly uploads: OutboundUploads,
    @Inject(providersConfig.KEY) private readonly providers: ProvidersConfig,
  ) {}

  async enqueue(tenant: TenantContext, session: string, body: SendMessageDto, idempotencyKey?: string): Promise<{ message: OutboundView; created: boolean }> {
    const kind = 'kind' in body ? body.kind : contentOf(body).kind;
    const reactsTo = 'kind' in body && body.kind === 'reaction' ? body.messageId : undefined;
    return this.accept(
      tenant,
      session,
      { to: body.to, kind, replyTo: 'replyTo' in body ? body.replyTo : undefined, reactsTo, idempotencyKey },
      async ({ target }) => contentOf(body, target),
    );
  }

  /** Media uploaded with the request: checked like any message, its bytes stored under the message's id, then queued. */
  async enqueueUpload(
    tenant: TenantContext,
    session: string,
    fields: UploadMessageFields,
    file: UploadedFile,
    idempotencyKey?: string,
  ): Promise<{ message: OutboundView; created: boolean }> {
    const kind = fields.kind ?? mediaKindOf(file.mimeType);
    return this.accept(tenant, session, { to: fields.to, kind, replyTo: fields.replyTo, upload: true, idempotencyKey }, async ({ id }) => {
      const upload = await this.uploads.put(tenant, id.toHexString(), session, { ...file, fileName: fields.fileName ?? file.fileName });
      return withoutUndefined({
        kind,
        mimeType: file.mimeType,
        caption: kind === 'image' || kind === 'video' || kind === 'document' ? fields.caption : undefined,
        fileName: fields.fileName ?? file.fileName,
        upload,
      });
    });
  }

  /**
   * Everything decided before a message is queued: the session exists, its provider can send it, the recipient,
   * the message quoted or reacted to, the content, the 24-hour window. Then the content is built (an upload stores
   * its bytes) and the message is queued.
   */
  private async accept(
    tenant: TenantContext,
    session: string,
    request: { to: string; kind: StoredContent['kind']; replyTo?: string; reactsTo?: string; upload?: boolean; idempotencyKey?: string },
    build: (context: { id: Types.ObjectId; target?: StoredRef }) => Promise<StoredContent>,
  ): Promise<{ message: OutboundView; created: boolean }> {
    const { idempotencyKey } = request;
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'Idempotency-Key must be 1-128 letters, digits or . _ : -');
    }
    await this.sessions.get(tenant.company, session);
    const adapter = this.registry.adapterFor(tenant.company);
    const to = await this.recipientOf(tenant, request.to, adapter.name);
    for (const capability of capabilitiesFor(request.kind, { replying: request.replyTo !== undefined, uploaded: request.upload === true })) {
      if (!adapter.supports(capability)) throw MessagingException.unsupported(capability, adapter.name);
    }
    const replyTo = request.replyTo ? await this.storedRef(tenant, session, to, request.replyTo) : undefined;
    const target = request.reactsTo ? await this.storedRef(tenant, session, to, request.reactsTo) : undefined;
    if (request.upload && idempotencyKey !== undefined) {
      const existing = await this.outbox.findByIdempotencyKey(tenant, session, idempotencyKey);
      if (existing) return { message: existing, created: false };
    }
    const id = new Types.ObjectId();
    // An upload's bytes are stored by `build`: only once every check has passed.
    const early = request.upload ? undefined : await build({ id, target });
    if (early) this.assertSendable(early);
    if (adapter.needsOpenWindow && request.kind !== 'template') await this.assertWindowOpen(tenant, session, to);
    const content = early ?? (await build({ id, target }));
    await this.sessions.wakeForDemand(tenant.company, session);
    const result = await this.outbox.enqueue(tenant, { id, session, to, content, ...(replyTo ? { replyTo } : {}), idempotencyKey });
    if (result.created) this.worker.kick();
    return result;
  }

  /**
   * Outbound messages not settled yet; null when the company's own cluster is not connected in this process.
   * Read outside the company's gate: monitoring must not queue behind the load it reports.
   */
  async queueDepth(company: CompanyRecord): Promise<number | null> {
    const depth = await this.pool.runIfConnected(company, (db) => this.outbox.countWaiting({ company, run: (operation) => operation(db) }));
    return depth ?? null;
  }

  async get(tenant: TenantContext, session: string, id: string): Promise<OutboundView> {
    await this.sessions.get(tenant.company, session);
    const message = await this.outbox.find(tenant, session, id);
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
    if (
      content.kind === 'template' &&
      content.variables &&
      !Object.values(content.variables).every((value) => typeof value === 'string' && value.length <= 1024)
    ) {
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
