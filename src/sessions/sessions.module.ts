import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ConversationStoreModule } from '../conversations/conversation-store.module';
import { EventsModule } from '../events/events.module';
import { IngestModule } from '../ingest/ingest.module';
import { ProvidersModule } from '../providers/providers.module';
import { TwilioSessionResolver } from '../providers/twilio/twilio-session.resolver';
import { TwilioWebhookController } from '../providers/twilio/twilio-webhook.controller';
import { TwilioModule } from '../providers/twilio/twilio.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { MemoryGuard } from './memory-guard';
import { SessionDocument, SessionSchema } from './schemas/session.schema';
import { SessionClients } from './session-clients';
import { SessionDocumentWrites } from './session-document-writes';
import { SessionEventLog } from './session-event-log';
import { SessionEvents } from './session-events';
import { SessionLeaseRepository } from './session-lease.repository';
import { SessionLeases } from './session-leases';
import { SessionManager } from './session-manager.service';
import { SessionOwnerSync } from './session-owner-sync';
import { SessionSlots } from './session-slots';
import { SessionSupervisor } from './session-supervisor.service';
import { SessionTransitions } from './session-transitions.service';
import { SessionsDiagnosticsController } from './sessions-diagnostics.controller';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: SessionDocument.name, schema: SessionSchema }]),
    TenancyModule,
    IngestModule,
    ProvidersModule,
    TwilioModule,
    EventsModule,
    ConversationStoreModule,
  ],
  controllers: [SessionsController, SessionsDiagnosticsController, TwilioWebhookController],
  providers: [
    MemoryGuard,
    SessionEvents,
    SessionEventLog,
    SessionDocumentWrites,
    SessionsRepository,
    SessionLeaseRepository,
    SessionLeases,
    SessionSlots,
    SessionTransitions,
    SessionClients,
    SessionManager,
    SessionOwnerSync,
    SessionSupervisor,
    SessionsService,
    TwilioSessionResolver,
  ],
  exports: [SessionManager, SessionEvents, SessionsService, SessionsRepository, SessionLeases, ProvidersModule],
})
export class SessionsModule {}
