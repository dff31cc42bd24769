import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { EventBus } from '../events/event-bus';
import { LiveAccess } from './live-access';
import { LiveEventsGateway } from './live-events.gateway';
import { LiveMetrics } from './live.metrics';

/** The live event stream over Socket.IO (see LiveEventsGateway; adapter: useLiveStreamAdapter). */
@Module({
  imports: [AuthModule],
  // EventBus: until the events module provides the shared one.
  providers: [EventBus, LiveAccess, LiveMetrics, LiveEventsGateway],
})
export class LiveModule {}
