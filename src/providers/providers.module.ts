import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { BaileysAdapter } from './baileys/baileys.adapter';
import { BaileysModule } from './baileys/baileys.module';
import { PROVIDER_ADAPTERS, ProviderRegistry } from './provider-registry';
import type { ProviderAdapter } from './provider.port';
import { SimulatorAdapter } from './simulator/simulator.adapter';
import { SimulatorController } from './simulator/simulator.controller';
import { TwilioAdapter } from './twilio/twilio.adapter';
import { TwilioModule } from './twilio/twilio.module';
import { WhatsappWebAdapter } from './whatsapp-web/whatsapp-web.adapter';
import { WhatsappWebModule } from './whatsapp-web/whatsapp-web.module';

/** Assembles the provider adapters behind the port; sessions ask the registry, never a library. */
@Module({
  imports: [TenancyModule, IngestModule, TwilioModule, BaileysModule, WhatsappWebModule],
  controllers: [SimulatorController],
  providers: [
    SimulatorAdapter,
    {
      provide: PROVIDER_ADAPTERS,
      inject: [SimulatorAdapter, TwilioAdapter, BaileysAdapter, WhatsappWebAdapter],
      useFactory: (...adapters: ProviderAdapter[]) => adapters,
    },
    ProviderRegistry,
  ],
  exports: [ProviderRegistry, SimulatorAdapter],
})
export class ProvidersModule {}
