import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { EventsModule } from '../events/events.module';
import { IngestModule } from '../ingest/ingest.module';
import { MessagingModule } from '../messaging/messaging.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { CompanyFigures } from './company-figures';
import { ProcessFigures } from './process-figures';
import { QueueDepthSources } from './queue-depth-sources';
import { StatsRecorder } from './stats-recorder';
import { statsConfig } from './stats.config';
import { StatsController } from './stats.controller';
import { StatsMetrics } from './stats.metrics';
import { StatsService } from './stats.service';

/** Operator figures (GET /api/v1/stats and its history, Prometheus gauges) gathered from the modules that own them. */
@Module({
  imports: [TenancyModule, SessionsModule, IngestModule, MessagingModule, EventsModule, ConfigModule.forFeature(statsConfig)],
  controllers: [StatsController],
  providers: [ProcessFigures, CompanyFigures, QueueDepthSources, StatsRecorder, StatsService, StatsMetrics],
  exports: [QueueDepthSources],
})
export class StatsModule {}
