import { Module } from '@nestjs/common';
import { ProspectsModule } from '../prospects/prospects.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { ConversationStoreModule } from './conversation-store.module';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';

@Module({
  imports: [TenancyModule, ProspectsModule, SessionsModule, ConversationStoreModule],
  controllers: [ConversationsController],
  providers: [ConversationsService],
})
export class ConversationsModule {}
