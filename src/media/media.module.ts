import { Module } from '@nestjs/common';
import { ConversationStoreModule } from '../conversations/conversation-store.module';
import { ProvidersModule } from '../providers/providers.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { ChunkedMediaStore } from './chunked-media-store';
import { MediaDownloadService } from './media-download.service';
import { MediaFetcher } from './media-fetcher.service';
import { MediaQueueModule } from './media-queue.module';
import { MediaStore } from './media-store';
import { MediaUsageRepository } from './media-usage.repository';
import { MediaController } from './media.controller';
import { MediaMetrics } from './media.metrics';
import { MediaService } from './media.service';
import { ProviderMedia } from './provider-media';

/** Inbound media: downloaded after ingest stored the message, kept in the company's database, served over HTTP. */
@Module({
  imports: [TenancyModule, ConversationStoreModule, ProvidersModule, SessionsModule, MediaQueueModule],
  controllers: [MediaController],
  providers: [
    { provide: MediaStore, useClass: ChunkedMediaStore },
    MediaMetrics,
    MediaUsageRepository,
    ProviderMedia,
    MediaDownloadService,
    MediaFetcher,
    MediaService,
  ],
  exports: [MediaFetcher, MediaStore],
})
export class MediaModule {}
