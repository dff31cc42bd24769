import { Module } from '@nestjs/common';
import { ConversationStoreModule } from '../conversations/conversation-store.module';
import { IngestModule } from '../ingest/ingest.module';
import { ProspectsModule } from '../prospects/prospects.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { MessagingController } from './messaging.controller';
import { OutboundWorker } from './outbound-worker.service';
import { OutboundService } from './outbound.service';
import { OutboxRepository } from './outbox.repository';
import { SessionSendGuard } from './session-send-guard';

@Module({
  imports: [TenancyModule, SessionsModule, ProspectsModule, IngestModule, ConversationStoreModule],
  controllers: [MessagingController],
  providers: [OutboxRepository, SessionSendGuard, OutboundWorker, OutboundService],
  exports: [OutboundService],
})
export class MessagingModule {}
