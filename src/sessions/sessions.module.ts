import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { IngestModule } from '../ingest/ingest.module';
import { BaileysAdapter } from '../providers/baileys/baileys.adapter';
import { BaileysModule } from '../providers/baileys/baileys.module';
import type { ProviderAdapter } from '../providers/provider.port';
import { SimulatorAdapter } from '../providers/simulator/simulator.adapter';
import { SimulatorController } from '../providers/simulator/simulator.controller';
import { TwilioAdapter } from '../providers/twilio/twilio.adapter';
import { TwilioSessionResolver } from '../providers/twilio/twilio-session.resolver';
import { TwilioWebhookController } from '../providers/twilio/twilio-webhook.controller';
import { TwilioModule } from '../providers/twilio/twilio.module';
import { WhatsappWebAdapter } from '../providers/whatsapp-web/whatsapp-web.adapter';
import { WhatsappWebModule } from '../providers/whatsapp-web/whatsapp-web.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { MemoryGuard } from './memory-guard';
import { PROVIDER_ADAPTERS, ProviderRegistry } from './provider-registry';
import { SessionDocument, SessionSchema } from './schemas/session.schema';
import { SessionEvents } from './session-events';
import { SessionManager } from './session-manager.service';
import { SessionSupervisor } from './session-supervisor.service';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: SessionDocument.name, schema: SessionSchema }]), TenancyModule, IngestModule, TwilioModule, BaileysModule, WhatsappWebModule],
  controllers: [SessionsController, SimulatorController, TwilioWebhookController],
  providers: [
    SimulatorAdapter,
    { provide: PROVIDER_ADAPTERS, inject: [SimulatorAdapter, TwilioAdapter, BaileysAdapter, WhatsappWebAdapter], useFactory: (...adapters: ProviderAdapter[]) => adapters },
    ProviderRegistry,
    MemoryGuard,
    SessionEvents,
    SessionsRepository,
    SessionManager,
    SessionSupervisor,
    SessionsService,
    TwilioSessionResolver,
  ],
  exports: [SessionManager, SessionEvents, SessionsService, SessionsRepository, SimulatorAdapter],
})
export class SessionsModule {}
