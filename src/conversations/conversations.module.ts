import { Module } from '@nestjs/common';
import { ProspectsModule } from '../prospects/prospects.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { ChatsRepository } from './chats.repository';
import { ConversationLog } from './conversation-log.service';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import { InboundIngestService } from './inbound-ingest.service';
import { MessagesRepository } from './messages.repository';

@Module({
  imports: [TenancyModule, ProspectsModule, SessionsModule],
  controllers: [ConversationsController],
  providers: [MessagesRepository, ChatsRepository, InboundIngestService, ConversationsService, ConversationLog],
  exports: [InboundIngestService, ConversationLog],
})
export class ConversationsModule {}
