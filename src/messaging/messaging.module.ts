import { Module } from '@nestjs/common';
import { MultipartModule } from '@nestjs/platform-fastify/multipart';
import { ConversationStoreModule } from '../conversations/conversation-store.module';
import { providersConfig, type ProvidersConfig } from '../core/config/configuration';
import { IngestModule } from '../ingest/ingest.module';
import { MediaModule } from '../media/media.module';
import { ProspectsModule } from '../prospects/prospects.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { MessagingController } from './messaging.controller';
import { OutboundUploads } from './outbound-uploads';
import { OutboundWorker } from './outbound-worker.service';
import { OutboundService } from './outbound.service';
import { OutboxRepository } from './outbox.repository';
import { SessionSendGuard } from './session-send-guard';

@Module({
  imports: [
    TenancyModule,
    SessionsModule,
    ProspectsModule,
    IngestModule,
    ConversationStoreModule,
    MediaModule,
    // Uploads: one file, within the outbound media cap, held in memory until stored (413 PAYLOAD_TOO_LARGE beyond).
    MultipartModule.registerAsync({
      inject: [providersConfig.KEY],
      useFactory: (providers: ProvidersConfig) => ({ limits: { fileSize: providers.media.maxBytes, files: 1, fields: 8, fieldSize: 4_096, parts: 9 } }),
    }),
  ],
  controllers: [MessagingController],
  providers: [OutboxRepository, SessionSendGuard, OutboundWorker, OutboundUploads, OutboundService],
  exports: [OutboundService],
})
export class MessagingModule {}
