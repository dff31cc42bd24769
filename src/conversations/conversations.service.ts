import { Injectable } from '@nestjs/common';
import { ProspectsException } from '../prospects/prospects.exception';
import { ProspectsService } from '../prospects/prospects.service';
import { SessionsService } from '../sessions/sessions.service';
import type { TenantContext } from '../tenancy/tenant-context';
import { chatAddressOf } from './chat-address';
import { ChatsRepository } from './chats.repository';
import type { ChatView, Page, StoredMessage } from './message';
import { MessagesRepository } from './messages.repository';
import { decodePageCursor, type PageCursor } from '../core/pagination/page-cursor';

/** Reading a session's chats and messages, newest first, in keyset pages. */
@Injectable()
export class ConversationsService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly prospects: ProspectsService,
    private readonly chats: ChatsRepository,
    private readonly messages: MessagesRepository,
  ) {}

  async listChats(tenant: TenantContext, session: string, query: { cursor?: string; limit: number }): Promise<Page<ChatView>> {
    await this.sessions.get(tenant.company, session);
    return this.chats.list(tenant, session, cursorOf(query.cursor), query.limit);
  }

  async listMessages(tenant: TenantContext, session: string, rawPhone: string, query: { cursor?: string; limit: number }): Promise<Page<StoredMessage>> {
    await this.sessions.get(tenant.company, session);
    const phone = chatAddressOf(rawPhone, (raw) => this.prospects.normalize(raw));
    return this.messages.listByChat(tenant, session, phone, cursorOf(query.cursor), query.limit);
  }
}

function cursorOf(raw: string | undefined): PageCursor | undefined {
  if (raw === undefined) return undefined;
  const cursor = decodePageCursor(raw);
  if (!cursor) throw ProspectsException.invalidCursor();
  return cursor;
}
