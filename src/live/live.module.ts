import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuthModule } from '../auth/auth.module';
import { httpConfig } from '../core/http/http.config';
import { EventsModule } from '../events/events.module';
import { LiveAccess } from './live-access';
import { LiveEventsGateway } from './live-events.gateway';
import { liveConfig } from './live.config';
import { LiveMetrics } from './live.metrics';

/** The live event stream over Socket.IO (LiveEventsGateway); its server adapter is installed by useLiveStreamAdapter. */
@Module({
  imports: [AuthModule, EventsModule, ConfigModule.forFeature(liveConfig), ConfigModule.forFeature(httpConfig)],
  providers: [LiveAccess, LiveMetrics, LiveEventsGateway],
})
export class LiveModule {}
