import type { Twilio } from 'twilio';
import { toE164 } from '../../prospects/phone-number';
import { ProviderClient, ProviderOperationUnsupportedError, type EmitProviderEvent, type OutboundMessage, type SendResult } from '../provider.port';
import { twilioContentOf } from './twilio-content';
import { TwilioException } from './twilio.exception';

/** Where a Twilio session sends from: one WhatsApp number, or a Messaging Service that owns several. */
export type TwilioSender = { from: string } | { messagingServiceSid: string };

export interface TwilioClientOptions {
  sender: TwilioSender;
  sdk: Twilio;
  emit: EmitProviderEvent;
  defaultRegion: string;
  statusCallbackUrl: string;
}

/**
 * Twilio keeps no connection: "running" only means sends are allowed. Inbound messages and receipts
 * do not pass through here: the webhook stores them durably whether or not a session runs.
 */
export class TwilioClient extends ProviderClient {
  constructor(private readonly options: TwilioClientOptions) {
    super();
  }

  async start(): Promise<void> {
    const { sender, emit, defaultRegion } = this.options;
    void emit({ type: 'ready', ...('from' in sender ? { phone: e164OrRaw(sender.from, defaultRegion) } : {}) });
  }

  async stop(): Promise<void> {}

  async logout(): Promise<void> {
    void this.options.emit({ type: 'logged-out', reason: 'Twilio session ended; the account stays configured' });
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const to = toE164(message.to, this.options.defaultRegion);
    if (!to.ok) throw TwilioException.invalidRecipient(to.reason);
    const sent = await this.options.sdk.messages.create({
      ...this.options.sender,
      to: `whatsapp:${to.e164}`,
      statusCallback: this.options.statusCallbackUrl,
      ...twilioContentOf(message),
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
