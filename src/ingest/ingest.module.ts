import { Module } from '@nestjs/common';
import { ConversationStoreModule } from '../conversations/conversation-store.module';
import { ProcessIdentity } from '../core/process/process-identity';
import { EventsModule } from '../events/events.module';
import { MediaQueueModule } from '../media/media-queue.module';
import { ProspectsModule } from '../prospects/prospects.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersRepository } from './dead-letters.repository';
import { DeriveRecovery } from './derive-recovery.service';
import { DeriveWatermarkRepository } from './derive-watermark.repository';
import { InboundIntake } from './inbound-intake.service';

/** Inbound messages from every provider to durable storage, then to their chats and prospects. */
@Module({
  imports: [TenancyModule, ProspectsModule, ConversationStoreModule, EventsModule, MediaQueueModule],
  controllers: [DeadLettersController],
  providers: [ProcessIdentity, DeadLettersRepository, DeriveWatermarkRepository, InboundIntake, DeriveRecovery],
  exports: [InboundIntake],
})
export class IngestModule {}
