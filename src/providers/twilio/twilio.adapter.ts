import { Inject, Injectable } from '@nestjs/common';
import { Twilio } from 'twilio';
import { ingestConfig, providersConfig, type IngestConfig, type ProvidersConfig, type TwilioAccount } from '../../core/config/configuration';
import type { ProviderEvent } from '../provider-events';
import { ProviderAdapter, type ProviderClient, type SessionRef } from '../provider.port';
import { twilioAccountOf } from './twilio-account';
import { TwilioClient } from './twilio-client';
import { TwilioHttpClient } from './twilio-http-client';
import { TwilioInboundRouter } from './twilio-inbound.router';
import { twilioWebhookUrl } from './twilio-webhook.route';
import { TwilioException } from './twilio.exception';

@Injectable()
export class TwilioAdapter extends ProviderAdapter {
  readonly name = 'twilio';
  /** One SDK client (and so one connection pool) per configured account, however many sessions use it. */
  private readonly sdkClients = new Map<string, Twilio>();

  constructor(
    @Inject(providersConfig.KEY) private readonly config: ProvidersConfig,
    @Inject(ingestConfig.KEY) private readonly ingest: IngestConfig,
    private readonly router: TwilioInboundRouter,
  ) {
    super();
  }

  createClient(session: SessionRef, emit: (event: ProviderEvent) => void): ProviderClient {
    const company = session.company.slug;
    const account = twilioAccountOf(this.config, company);
    if (!account) throw TwilioException.accountNotConfigured(company);
    return new TwilioClient({
      company,
      from: account.from.startsWith('whatsapp:') ? account.from : `whatsapp:${account.from}`,
      sdk: this.sdkFor(company, account),
      router: this.router,
      emit,
      defaultRegion: this.ingest.defaultPhoneRegion,
      statusCallbackUrl: twilioWebhookUrl(this.config.publicBaseUrl, company),
    });
  }

  private sdkFor(company: string, account: TwilioAccount): Twilio {
    let sdk = this.sdkClients.get(company);
    if (!sdk) {
      const baseUrl = this.config.twilioApiBaseUrl;
      sdk = new Twilio(account.accountSid, account.authToken, baseUrl ? { httpClient: new TwilioHttpClient(baseUrl) } : {});
      this.sdkClients.set(company, sdk);
    }
    return sdk;
  }
}
