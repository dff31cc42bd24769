import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { WHATSAPP_WEB_CAPABILITIES } from '../capabilities';
import { ingestConfig, providersConfig, type IngestConfig, type ProvidersConfig } from '../../core/config/configuration';
import { TenantConnectionPool } from '../../tenancy/tenant-connection-pool.service';
import { ProviderAdapter, type EmitProviderEvent, type ProviderClient, type SessionRef } from '../provider.port';
import { ChromiumProcessReaper } from './chromium-process.reaper';
import type { WhatsappWebSettings } from './whatsapp-web-client.options';
import { WHATSAPP_WEB_TEMP_ROOT } from './whatsapp-web-session-paths';
import { WhatsappWebClient } from './whatsapp-web.client';

/** whatsapp-web.js behind the provider port. Keeps the set of clients holding a browser, so shutdown leaves none behind. */
@Injectable()
export class WhatsappWebAdapter extends ProviderAdapter implements OnApplicationShutdown {
  readonly name = 'whatsapp-web' as const;
  readonly capabilities = WHATSAPP_WEB_CAPABILITIES;
  private readonly logger = new Logger(WhatsappWebAdapter.name);
  private readonly live = new Set<WhatsappWebClient>();
  private readonly reaper = new ChromiumProcessReaper();
  private readonly settings: WhatsappWebSettings;

  constructor(
    private readonly pool: TenantConnectionPool,
    @Inject(providersConfig.KEY) providers: ProvidersConfig,
    @Inject(ingestConfig.KEY) ingest: IngestConfig,
  ) {
    super();
    const { chromium, whatsappWeb } = providers;
    this.settings = {
      chromiumPath: chromium.path,
      hostResolverRules: chromium.hostResolverRules,
      authBackupIntervalMs: whatsappWeb.authBackupIntervalMs,
      history: {
        enabled: whatsappWeb.historyImport,
        maxChats: whatsappWeb.historyMaxChats,
        maxMessagesPerChat: whatsappWeb.historyMaxMessagesPerChat,
      },
      defaultPhoneRegion: ingest.defaultPhoneRegion,
      media: providers.media,
      tempRoot: WHATSAPP_WEB_TEMP_ROOT,
    };
  }

  createClient(session: SessionRef, emit: EmitProviderEvent): ProviderClient {
    return this.clientFor(session, emit, {});
  }

  /** As `createClient`, with settings overridden; for tests that point Chromium somewhere else. */
  clientFor(session: SessionRef, emit: EmitProviderEvent, overrides: Partial<WhatsappWebSettings>): WhatsappWebClient {
    return new WhatsappWebClient({
      session,
      tenant: this.pool.contextFor(session.company),
      settings: { ...this.settings, ...overrides },
      reaper: this.reaper,
      emit,
      onLive: (client, live) => (live ? this.live.add(client) : this.live.delete(client)),
    });
  }

  /** Clients currently holding (or starting) a browser. */
  liveCount(): number {
    return this.live.size;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.live.size === 0) return;
    this.logger.log({ clients: this.live.size }, 'stopping whatsapp-web clients');
    await Promise.allSettled([...this.live].map((client) => client.stop()));
  }
}
