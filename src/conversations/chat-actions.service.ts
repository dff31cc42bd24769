import { Injectable } from '@nestjs/common';
import { ProspectsService } from '../prospects/prospects.service';
import { ProviderRegistry } from '../providers/provider-registry';
import { unsupportedOperation } from '../providers/unsupported-operation';
import type { Capability, ProviderClient } from '../providers/provider.port';
import { SessionManager } from '../sessions/session-manager.service';
import { SessionsService } from '../sessions/sessions.service';
import type { CompanyRecord } from '../tenancy/company';
import type { TenantContext } from '../tenancy/tenant-context';
import { chatAddressOf } from './chat-address';
import { MessagesRepository } from './messages.repository';

/** Inbound messages read receipts cover at most (the newest of the chat). */
const READ_WINDOW = 20;

/**
 * What an agent does in a chat besides sending: mark it read, show "typing…". Both are answered by the process
 * that owns the session, at once (they are worth nothing later, so they are not queued); elsewhere 409
 * SESSION_NOT_READY, and 422 UNSUPPORTED_OPERATION where the provider has no such thing.
 */
@Injectable()
export class ChatActionsService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly manager: SessionManager,
    private readonly registry: ProviderRegistry,
    private readonly prospects: ProspectsService,
    private readonly messages: MessagesRepository,
  ) {}

  /** Sends read receipts for the customer's latest messages; answers how many were covered. */
  async markRead(tenant: TenantContext, session: string, rawPhone: string): Promise<{ read: number }> {
    const { client, phone } = await this.clientFor(tenant.company, session, rawPhone, 'read');
    const page = await this.messages.listByChat(tenant, session, phone, undefined, READ_WINDOW);
    const messages = page.items.filter((message) => message.direction === 'inbound').map(({ providerMessageId, from }) => ({ providerMessageId, from }));
    if (messages.length > 0) await client.markRead!({ to: phone, messages });
    return { read: messages.length };
  }

  async typing(company: CompanyRecord, session: string, rawPhone: string, typing: boolean): Promise<void> {
    const { client, phone } = await this.clientFor(company, session, rawPhone, 'typing');
    await client.sendTyping!(phone, typing);
  }

  private async clientFor(
    company: CompanyRecord,
    session: string,
    rawPhone: string,
    capability: Capability,
  ): Promise<{ client: ProviderClient; phone: string }> {
    await this.sessions.get(company, session);
    const phone = chatAddressOf(rawPhone, (raw) => this.prospects.normalize(raw));
    const adapter = this.registry.adapterFor(company);
    if (!adapter.supports(capability)) throw unsupportedOperation(adapter.name, capability);
    const client = this.manager.ownedClient(company, session);
    if (capability === 'read' ? !client.markRead : !client.sendTyping) throw unsupportedOperation(adapter.name, capability);
    return { client, phone };
  }
}
