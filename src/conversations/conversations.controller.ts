import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ConversationsService } from './conversations.service';
import { PageQuery } from '../core/pagination/page.query';
import type { ChatView, Page, StoredMessage } from './message';
import type { TenantContext } from '../tenancy/tenant-context';
import { Tenant } from '../tenancy/http/route-company.decorators';

@ApiTags('conversations')
@ApiSecurity('api-key')
@Controller('api/v1/companies/:company/sessions/:session/chats')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  /** Newest activity first. */
  @Get()
  chats(@Tenant() tenant: TenantContext, @Param('session') session: string, @Query() query: PageQuery): Promise<Page<ChatView>> {
    return this.conversations.listChats(tenant, session, query);
  }

  /** Newest first; pass `nextCursor` back as `cursor` for older messages. */
  @Get(':phone/messages')
  messages(
    @Tenant() tenant: TenantContext,
    @Param('session') session: string,
    @Param('phone') phone: string,
    @Query() query: PageQuery,
  ): Promise<Page<StoredMessage>> {
    return this.conversations.listMessages(tenant, session, phone, query);
  }
}
