import { Inject, Injectable } from '@nestjs/common';
import { TWILIO_CAPABILITIES } from '../capabilities';
import { Twilio } from 'twilio';
import { ingestConfig, providersConfig, type IngestConfig, type ProvidersConfig, type TwilioAccount } from '../../core/config/configuration';
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
import { downloadTwilioMedia } from './twilio-media';
import { twilioAccountOf } from './twilio-account';
import { TwilioClient, type TwilioSender } from './twilio-client';
import { TwilioHttpClient } from './twilio-http-client';
import { twilioWebhookUrl } from './twilio-webhook.route';
import { TwilioException } from './twilio.exception';

@Injectable()
export class TwilioAdapter extends ProviderAdapter {
  readonly name = 'twilio';
  readonly capabilities = TWILIO_CAPABILITIES;
  override readonly needsOpenWindow = true;
  /** One SDK client (and so one connection pool) per configured account, however many sessions use it. */
  private readonly sdkClients = new Map<string, Twilio>();

  constructor(
    @Inject(providersConfig.KEY) private readonly config: ProvidersConfig,
    @Inject(ingestConfig.KEY) private readonly ingest: IngestConfig,
    @Inject(mediaConfig.KEY) private readonly media: MediaConfig,
  ) {
    super();
  }

  override downloadMedia(session: SessionRef, request: MediaDownloadRequest, limits: MediaDownloadLimits): Promise<DownloadedMedia> {
    const company = session.company.slug;
    const account = twilioAccountOf(this.config, company);
    if (!account) throw TwilioException.accountNotConfigured(company);
    return downloadTwilioMedia(account, request, limits, { apiBaseUrl: this.config.twilioApiBaseUrl, allowPrivate: this.media.allowPrivate });
  }

  createClient(session: SessionRef, emit: EmitProviderEvent): ProviderClient {
    const company = session.company.slug;
    const account = twilioAccountOf(this.config, company);
    if (!account) throw TwilioException.accountNotConfigured(company);
    return new TwilioClient({
      sender: senderOf(session.sender ?? account.from),
      sdk: this.sdkFor(company, account),
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

/** A Messaging Service SID as is; a number with the WhatsApp channel prefix Twilio expects. */
function senderOf(sender: string): TwilioSender {
  if (/^MG[0-9a-f]{32}$/.test(sender)) return { messagingServiceSid: sender };
  return { from: sender.startsWith('whatsapp:') ? sender : `whatsapp:${sender}` };
}
