import { Inject, Injectable } from '@nestjs/common';
import { providersConfig, type ProvidersConfig } from '../../core/config/configuration';
import { TenantConnectionPool } from '../../tenancy/tenant-connection-pool.service';
import type { ProviderEvent } from '../provider-events';
import { ProviderAdapter, type ProviderClient, type SessionRef } from '../provider.port';
import { BaileysAuthStateRepository } from './baileys-auth-state.repository';
import { BaileysClient } from './baileys.client';

/** WhatsApp through Baileys' multi-device WebSocket; auth state lives in the company's database. */
@Injectable()
export class BaileysAdapter extends ProviderAdapter {
  readonly name = 'baileys' as const;

  constructor(
    private readonly pool: TenantConnectionPool,
    private readonly repository: BaileysAuthStateRepository,
    @Inject(providersConfig.KEY) private readonly config: ProvidersConfig,
  ) {
    super();
  }

  createClient(session: SessionRef, emit: (event: ProviderEvent) => void): ProviderClient {
    return new BaileysClient({
      session,
      emit,
      tenant: this.pool.contextFor(session.company),
      repository: this.repository,
      settings: { webSocketUrl: this.config.baileysWebSocketUrl, lookupsPerMinute: this.config.baileysLookupsPerMinute, media: this.config.media },
    });
  }
}
