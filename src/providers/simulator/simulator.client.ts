import { outboundMediaOf } from '../media-fetch';
import type { ProviderEvent } from '../provider-events';
import {
  ProviderClient,
  type ChatReadRequest,
  type ContactProfile,
  type DownloadedMedia,
  type MediaDownloadLimits,
  type MediaDownloadRequest,
  type NumberCheck,
  type OutboundMessage,
  type SendResult,
  type SessionRef,
} from '../provider.port';
import { keyOf, SIMULATED_OWN_NUMBER } from './simulator-ids';
import type { SimulatorAdapter } from './simulator.adapter';

type Emit = (event: ProviderEvent) => void;

/** A simulated session's connection: sends, downloads and chat operations are recorded on the adapter. */
export class SimulatorClient extends ProviderClient {
  private running = false;

  constructor(
    private readonly session: SessionRef,
    private readonly adapter: SimulatorAdapter,
    private readonly emit: Emit,
  ) {
    super();
  }

  async start(): Promise<void> {
    await this.adapter.takeStartHold();
    if (!this.adapter.attach(keyOf(this.session), this)) {
      queueMicrotask(() => this.emit({ type: 'disconnected', reason: 'simulated network failure', retryable: true }));
      return;
    }
    this.running = true;
    const linked = await this.adapter.isLinked(this.session);
    queueMicrotask(() => {
      if (!this.running) return;
      if (linked) this.linkedNow();
      else this.emit({ type: 'qr', qr: `SIMULATED-QR:${keyOf(this.session)}:${Date.now()}` });
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.adapter.detach(this.session, this, false);
  }

  async logout(): Promise<void> {
    this.running = false;
    await this.adapter.detach(this.session, this, true);
    this.emit({ type: 'logged-out', reason: 'logout requested' });
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    if (!this.running) throw new Error('simulated session is not running');
    if (this.adapter.takeSendFailure()) throw new Error('simulated send failure');
    const delay = this.adapter.takeSendDelay();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const fetched = await outboundMediaOf(message, this.adapter.fetchLimits());
    const providerMessageId = this.adapter.nextId();
    this.adapter.sent.push({
      company: this.session.company.slug,
      session: this.session.name,
      providerMessageId,
      to: message.to,
      message,
      ...(fetched ? { bytes: fetched.data.length } : {}),
    });
    queueMicrotask(() => this.emit({ type: 'status', providerMessageId, status: 'sent', at: new Date() }));
    return { providerMessageId };
  }

  async requestPairingCode(): Promise<string> {
    return 'SIMU-LATE';
  }

  /** Like whatsapp-web.js: only a running client reaches the media. */
  override async downloadMedia(request: MediaDownloadRequest, limits: MediaDownloadLimits): Promise<DownloadedMedia> {
    if (!this.running) throw new Error('simulated session is not running');
    return this.adapter.mediaFor(this.session, request, limits);
  }

  override async markRead({ to, messages }: ChatReadRequest): Promise<void> {
    this.assertRunning();
    this.adapter.actions.push({ ...this.ids(), action: 'read', to, messages: messages.map((m) => m.providerMessageId) });
  }

  override async sendTyping(to: string, typing: boolean): Promise<void> {
    this.assertRunning();
    this.adapter.actions.push({ ...this.ids(), action: 'typing', to, typing });
  }

  override async checkNumbers(phones: string[]): Promise<NumberCheck[]> {
    this.assertRunning();
    this.adapter.lookups.push(...phones);
    return phones.map((phone) => {
      const digits = phone.replace(/\D/g, '');
      return this.adapter.absentNumbers.has(phone)
        ? { phone, exists: false }
        : { phone, exists: true, jid: `${digits}@s.whatsapp.net`, lid: `${digits.split('').reverse().join('')}@lid` };
    });
  }

  override async profile(phone: string): Promise<ContactProfile> {
    this.assertRunning();
    const digits = phone.replace(/\D/g, '');
    return { name: `Simulated ${digits}`, pictureUrl: `https://simulator.invalid/pictures/${digits}.jpg` };
  }

  linkedNow(): void {
    if (!this.running) return;
    this.emit({ type: 'authenticated' });
    this.emit({ type: 'ready', phone: SIMULATED_OWN_NUMBER });
  }

  deliver(event: ProviderEvent): void {
    if (this.running) this.emit(event);
  }

  private assertRunning(): void {
    if (!this.running) throw new Error('simulated session is not running');
  }

  private ids(): { company: string; session: string } {
    return { company: this.session.company.slug, session: this.session.name };
  }
}
