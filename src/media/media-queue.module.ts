import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { MediaDownloadsRepository } from './media-downloads.repository';
import { MediaQueue } from './media-queue';
import { mediaConfig } from './media.config';

/** The durable queue of media downloads, for ingest (which fills it) and the media module (which works it). */
@Module({
  imports: [ConfigModule.forFeature(mediaConfig)],
  providers: [MediaDownloadsRepository, MediaQueue],
  exports: [MediaDownloadsRepository, MediaQueue, ConfigModule],
})
export class MediaQueueModule {}
