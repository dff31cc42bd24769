import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TenancyModule } from '../tenancy/tenancy.module';
import { EventBus } from './event-bus';
import { EventLogHead } from './event-log-head';
import { EventLogReader } from './event-log.reader';
import { EventLog } from './event-log.service';
import { EventLogMetrics } from './event-log.metrics';
import { EventPageRepository } from './event-page.repository';
import { EventRetention } from './event-retention.service';
import { eventsConfig } from './events.config';
import { EventsController } from './events.controller';
import { PagedEventLogReader } from './paged-event-log.reader';

/** Each company's append-only event log: written by producers, read by replay, webhooks and the live stream. */
@Module({
  imports: [TenancyModule, ConfigModule.forFeature(eventsConfig)],
  controllers: [EventsController],
  providers: [
    EventBus,
    EventLogHead,
    EventLogMetrics,
    EventPageRepository,
    EventLog,
    EventRetention,
    { provide: EventLogReader, useClass: PagedEventLogReader },
  ],
  exports: [EventBus, EventLog, EventLogReader, EventLogHead],
})
export class EventsModule {}
