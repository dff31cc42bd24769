import { Inject, Injectable } from '@nestjs/common';
import { MessagesRepository } from '../../conversations/messages.repository';
import { providersConfig, type ProvidersConfig } from '../../core/config/configuration';
import { TenantConnectionPool } from '../../tenancy/tenant-connection-pool.service';
import { ProviderAdapter, type EmitProviderEvent, type ProviderClient, type SessionRef } from '../provider.port';
import { BaileysAuthStateRepository } from './baileys-auth-state.repository';
import { BaileysClient } from './baileys.client';

/** WhatsApp through Baileys' multi-device WebSocket; auth state lives in the company's database. */
@Injectable()
export class BaileysAdapter extends ProviderAdapter {
  readonly name = 'baileys' as const;

  constructor(
    private readonly pool: TenantConnectionPool,
    private readonly repository: BaileysAuthStateRepository,
    private readonly messages: MessagesRepository,
    @Inject(providersConfig.KEY) private readonly config: ProvidersConfig,
  ) {
    super();
  }

  createClient(session: SessionRef, emit: EmitProviderEvent): ProviderClient {
    const tenant = this.pool.contextFor(session.company);
    return new BaileysClient({
      session,
      emit,
      tenant,
      repository: this.repository,
      findMessage: (providerMessageId) => this.messages.findByProviderId(tenant, session.name, providerMessageId),
      settings: { webSocketUrl: this.config.baileysWebSocketUrl, lookupsPerMinute: this.config.baileysLookupsPerMinute, media: this.config.media },
    });
  }
}
