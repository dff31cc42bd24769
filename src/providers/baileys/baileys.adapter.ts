import { Inject, Injectable } from '@nestjs/common';
import { BAILEYS_CAPABILITIES } from '../capabilities';
import { LidMappingsRepository } from '../../conversations/lid-mappings.repository';
import { MessagesRepository } from '../../conversations/messages.repository';
import { providersConfig, type ProvidersConfig } from '../../core/config/configuration';
import { TenantConnectionPool } from '../../tenancy/tenant-connection-pool.service';
import { mediaConfig, type MediaConfig } from '../../media/media.config';
import {
  ProviderAdapter,
  type DownloadedMedia,
  type EmitProviderEvent,
  type MediaDownloadLimits,
  type MediaDownloadRequest,
  type ProviderClient,
  type SessionRef,
} from '../provider.port';
import { downloadWhatsappMedia } from './baileys-media';
import { BaileysAuthStateRepository } from './baileys-auth-state.repository';
import { BaileysClient } from './baileys.client';

/** WhatsApp through Baileys' multi-device WebSocket; auth state lives in the company's database. */
@Injectable()
export class BaileysAdapter extends ProviderAdapter {
  readonly name = 'baileys' as const;
  readonly capabilities = BAILEYS_CAPABILITIES;

  constructor(
    private readonly pool: TenantConnectionPool,
    private readonly repository: BaileysAuthStateRepository,
    private readonly messages: MessagesRepository,
    private readonly lidMappings: LidMappingsRepository,
    @Inject(providersConfig.KEY) private readonly config: ProvidersConfig,
    @Inject(mediaConfig.KEY) private readonly media: MediaConfig,
  ) {
    super();
  }

  /** WhatsApp's media servers need no socket: a message's media downloads whether or not its session runs. */
  override downloadMedia(_session: SessionRef, request: MediaDownloadRequest, limits: MediaDownloadLimits): Promise<DownloadedMedia> {
    return downloadWhatsappMedia(request, limits, { origin: this.media.baileysOrigin, allowPrivate: this.media.allowPrivate });
  }

  createClient(session: SessionRef, emit: EmitProviderEvent): ProviderClient {
    const tenant = this.pool.contextFor(session.company);
    return new BaileysClient({
      session,
      emit,
      tenant,
      repository: this.repository,
      findMessage: (providerMessageId) => this.messages.findByProviderId(tenant, session.name, providerMessageId),
      phoneOfLid: (lid) => this.lidMappings.phoneOf(tenant, lid),
      settings: { webSocketUrl: this.config.baileysWebSocketUrl, lookupsPerMinute: this.config.baileysLookupsPerMinute, media: this.config.media },
    });
  }
}
