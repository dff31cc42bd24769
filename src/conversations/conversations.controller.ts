import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ConversationsService } from './conversations.service';
import { PageQuery } from '../core/pagination/page.query';
import type { ChatView, Page, StoredMessage } from './message';

@ApiTags('conversations')
@ApiSecurity('api-key')
@Controller('api/v1/companies/:company/sessions/:session/chats')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  /** Newest activity first. */
  @Get()
  chats(@Param('company') company: string, @Param('session') session: string, @Query() query: PageQuery): Promise<Page<ChatView>> {
    return this.conversations.listChats(company, session, query);
  }

  /** Newest first; pass `nextCursor` back as `cursor` for older messages. */
  @Get(':phone/messages')
  messages(
    @Param('company') company: string,
    @Param('session') session: string,
    @Param('phone') phone: string,
    @Query() query: PageQuery,
  ): Promise<Page<StoredMessage>> {
    return this.conversations.listMessages(company, session, phone, query);
  }
}
