import type { Twilio } from 'twilio';
import { toE164 } from '../../prospects/phone-number';
import { ProviderClient, ProviderOperationUnsupportedError, type OutboundMessage, type SendResult } from '../provider.port';
import type { EmitFn, TwilioInboundRouter } from './twilio-inbound.router';
import { TwilioException } from './twilio.exception';

export interface TwilioClientOptions {
  company: string;
  /** Sender with its channel prefix, e.g. `whatsapp:+14155238886`. */
  from: string;
  sdk: Twilio;
  router: TwilioInboundRouter;
  emit: EmitFn;
  defaultRegion: string;
  statusCallbackUrl: string;
}

/**
 * Twilio keeps no connection: "running" means this client's company webhooks reach its `emit`,
 * and sending is one REST call with the company's own credentials.
 */
export class TwilioClient extends ProviderClient {
  private unregister?: () => void;

  constructor(private readonly options: TwilioClientOptions) {
    super();
  }

  async start(): Promise<void> {
    if (this.unregister) return;
    const { company, from, emit, router, defaultRegion } = this.options;
    emit({ type: 'ready', phone: e164OrRaw(from, defaultRegion) });
    this.unregister = router.register(company, emit);
  }

  async stop(): Promise<void> {
    this.unregister?.();
    this.unregister = undefined;
  }

  async logout(): Promise<void> {
    await this.stop();
    this.options.emit({ type: 'logged-out', reason: 'Twilio session ended; the account stays configured' });
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const to = toE164(message.to, this.options.defaultRegion);
    if (!to.ok) throw TwilioException.invalidRecipient(to.reason);
    const content =
      'mediaUrl' in message
        ? { mediaUrl: [message.mediaUrl], ...(message.caption ? { body: message.caption } : {}) }
        : { body: message.text };
    const sent = await this.options.sdk.messages.create({
      from: this.options.from,
      to: `whatsapp:${to.e164}`,
      statusCallback: this.options.statusCallbackUrl,
      ...content,
    });
    return { providerMessageId: sent.sid };
  }

  async requestPairingCode(): Promise<string> {
    throw new ProviderOperationUnsupportedError('twilio', 'pairing codes');
  }
}

function e164OrRaw(address: string, defaultRegion: string): string {
  const parsed = toE164(address, defaultRegion);
  return parsed.ok ? parsed.e164 : address.replace(/^whatsapp:/, '');
}
