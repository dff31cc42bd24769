import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BaileysAdapter } from '../providers/baileys/baileys.adapter';
import { BaileysModule } from '../providers/baileys/baileys.module';
import type { ProviderAdapter } from '../providers/provider.port';
import { SimulatorAdapter } from '../providers/simulator/simulator.adapter';
import { SimulatorController } from '../providers/simulator/simulator.controller';
import { TwilioAdapter } from '../providers/twilio/twilio.adapter';
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
  imports: [MongooseModule.forFeature([{ name: SessionDocument.name, schema: SessionSchema }]), TenancyModule, TwilioModule, BaileysModule, WhatsappWebModule],
  controllers: [SessionsController, SimulatorController],
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
  ],
  exports: [SessionManager, SessionEvents, SessionsService, SessionsRepository, SimulatorAdapter],
})
export class SessionsModule {}
