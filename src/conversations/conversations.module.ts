import { Module } from '@nestjs/common';
import { ProspectsModule } from '../prospects/prospects.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { ConversationStoreModule } from './conversation-store.module';
import { ChatActionsController } from './chat-actions.controller';
import { ChatActionsService } from './chat-actions.service';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';

@Module({
  imports: [TenancyModule, ProspectsModule, SessionsModule, ConversationStoreModule],
  controllers: [ConversationsController, ChatActionsController],
  providers: [ConversationsService, ChatActionsService],
})
export class ConversationsModule {}
