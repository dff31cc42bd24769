import { Logger } from '@nestjs/common';
import { makeWASocket, type BaileysEventMap, type UserFacingSocketConfig, type WAMessageKey, type proto } from '@whiskeysockets/baileys';
import type { StoredMessage } from '../../conversations/message';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { ProviderEvent } from '../provider-events';
import { mappingOf, mappingsOfMessages } from './baileys-lids';
import {
  ProviderClient,
  type ChatReadRequest,
  type ContactProfile,
  type EmitProviderEvent,
  type NumberCheck,
  type OutboundMessage,
  type SendResult,
  type SessionRef,
} from '../provider.port';
import type { BaileysAuthStateRepository } from './baileys-auth-state.repository';
import { connectionEventsOf, messagesOfUpsert, statusEventsOf } from './baileys-event.mapper';
import { outboundMediaOf } from '../media-fetch';
import { baileysChatOps } from './baileys-chat-ops';
import { InboundDelivery } from './baileys-inbound-delivery';
import { digitsOf } from './baileys-jid';
import { BaileysRecipients } from './baileys-recipients';
import { outboundContentOf, quotedOf, resendContentOf } from './baileys-outbound.mapper';
import { ReadGate, type Pausable } from './baileys-read-gate';
import { baileysLogger, socketOptions, type BaileysSocketSettings } from './baileys-socket.options';
import { useMongoAuthState, type MongoAuthState } from './mongo-auth-state';

type Socket = ReturnType<typeof makeWASocket>;

/** The socket events this client listens to; the same list is detached on stop. */
const EVENTS = ['connection.update', 'creds.update', 'messages.upsert', 'messages.update', 'lid-mapping.update'] as const;

/** How long stop waits for the WebSocket's closing handshake; a dead peer would otherwise hold it for ws's 30 s. */
const END_WAIT_MS = 5_000;

export interface BaileysClientDeps {
  session: SessionRef;
  tenant: TenantContext;
  emit: EmitProviderEvent;
  repository: BaileysAuthStateRepository;
  /** A stored message of this session by its provider id. */
  findMessage: (providerMessageId: string) => Promise<StoredMessage | undefined>;
  /** The phone behind a LID, as the company's `lid_mappings` knows it. */
  phoneOfLid: (lid: string) => Promise<string | undefined>;
  settings: BaileysSocketSettings;
}

/**
 * One Baileys socket for one session. Translates socket events into provider events and never
 * reconnects by itself: every close is reported, and the session manager decides.
 */
export class BaileysClient extends ProviderClient {
  private readonly logger = new Logger(BaileysClient.name);
  private socket?: Socket;
  private config?: UserFacingSocketConfig;
  private gate?: ReadGate;
  private auth?: MongoAuthState;
  private generation = 0;
  private unpausableWarned = false;
  private readonly recipients: BaileysRecipients;
  private readonly inbound: InboundDelivery;

  constructor(private readonly deps: BaileysClientDeps) {
    super();
    this.recipients = new BaileysRecipients(`${deps.session.company.slug}:${deps.session.name}`, deps.settings.lookupsPerMinute);
    this.inbound = new InboundDelivery(deps.phoneOfLid, (event) => this.emit(event));
  }

  async start(): Promise<void> {
    const generation = ++this.generation;
    await this.release();
    const { tenant, session, repository, settings } = this.deps;
    const auth = await useMongoAuthState(tenant, session.name, { repository, fence: session.fence });
    if (generation !== this.generation) return;
    const logger = baileysLogger({ company: session.company.slug, session: session.name });
    const config = socketOptions(auth.state, settings, logger, (key) => this.storedMessage(key));
    const socket = makeWASocket(config);
    this.socket = socket;
    this.config = config;
    this.gate = new ReadGate(() => this.webSocketOf(socket));
    this.auth = auth;
    this.listen(socket, auth, this.gate);
  }

  /** Ends the socket after the auth-state writes issued so far have landed (the final save of a handover). */
  async stop(): Promise<void> {
    this.generation++;
    await this.auth?.flush();
    await this.release();
  }

  async logout(): Promise<void> {
    this.generation++;
    const socket = this.detach();
    if (socket) {
      await socket.logout().catch((error: Error) => this.warn('logout on WhatsApp failed', error));
      await this.end(socket);
    }
    const { tenant, session, repository } = this.deps;
    await (this.auth ? this.auth.clear() : repository.clear(tenant, session.name, session.fence));
  }

  /** Resolves the recipient with WhatsApp and fetches media ourselves (bounded, no private addresses) before sending. */
  async send(message: OutboundMessage): Promise<SendResult> {
    const socket = this.running();
    const jid = await this.recipients.resolve(socket, message.to);
    const media = await outboundMediaOf(message, this.deps.settings.media);
    const options = message.replyTo ? { quoted: quotedOf(message.replyTo, jid) } : {};
    const sent = await socket.sendMessage(jid, outboundContentOf(message, jid, media), options);
    const providerMessageId = sent?.key.id;
    if (!providerMessageId) throw new Error('WhatsApp returned no message id');
    return { providerMessageId };
  }

  override async markRead(request: ChatReadRequest): Promise<void> {
    await baileysChatOps.markRead(this.running(), request);
  }

  override async sendTyping(to: string, typing: boolean): Promise<void> {
    await baileysChatOps.sendTyping(this.running(), this.recipients, to, typing);
  }

  override async checkNumbers(phones: string[]): Promise<NumberCheck[]> {
    return baileysChatOps.checkNumbers(this.running(), this.recipients, phones);
  }

  override async profile(phone: string): Promise<ContactProfile> {
    return baileysChatOps.profile(this.running(), this.recipients, phone);
  }

  async requestPairingCode(phone: string): Promise<string> {
    const socket = this.running();
    if (socket.authState.creds.registered) throw new Error(`session ${this.deps.session.name} is already linked`);
    return socket.requestPairingCode(digitsOf(phone));
  }

  /** Test seam: the running socket's own emitter, to replay what WhatsApp's server would cause. */
  socketEventsForTest(): Socket['ev'] | undefined {
    return this.socket?.ev;
  }

  /** Test seam: the config the running socket was made with (its `getMessage`, for one). */
  socketConfigForTest(): UserFacingSocketConfig | undefined {
    return this.config;
  }

  /** Test seam: whether reading from the WebSocket is paused for ingest. */
  readPausedForTest(): boolean {
    return this.gate?.isPaused ?? false;
  }

  /** Test seam: ends the running socket as Baileys' own stream-error and failure handlers do (`end(boom)`). */
  endSocketForTest(error: Error): void {
    void this.socket?.end(error);
  }

  private listen(socket: Socket, auth: MongoAuthState, gate: ReadGate): void {
    const on = <E extends (typeof EVENTS)[number]>(event: E, handle: (data: BaileysEventMap[E]) => void) =>
      socket.ev.on(event, (data) => this.onOwn(socket, () => handle(data)));
    on('connection.update', (update) => this.onConnection(socket, auth, connectionEventsOf(update, ownJid(socket))));
    on('creds.update', () => void auth.saveCreds().catch((error: Error) => this.warn('saving creds failed', error)));
    on('messages.upsert', (upsert) => {
      this.inbound.learnIds(mappingsOfMessages(upsert.messages));
      this.inbound.deliver(gate, messagesOfUpsert(upsert, ownJid(socket)));
    });
    on('messages.update', (updates) => this.forward(statusEventsOf(updates)));
    on('lid-mapping.update', ({ lid, pn }) => this.inbound.learnIds([mappingOf(lid, pn)].filter((mapping) => mapping !== undefined)));
  }

  /** Answers a recipient's retry request from our stored messages (Baileys' own cache lasts 5 minutes). */
  private async storedMessage(key: WAMessageKey): Promise<proto.IMessage | undefined> {
    if (!key.id) return undefined;
    try {
      return resendContentOf(await this.deps.findMessage(key.id));
    } catch (error) {
      this.warn('looking up a message to resend failed', error as Error);
      return undefined;
    }
  }

  private onConnection(socket: Socket, auth: MongoAuthState, events: ProviderEvent[]): void {
    for (const event of events) {
      if (event.type === 'disconnected' && event.action === 'restart-now') {
        // The restart after pairing must read the creds pairing just wrote: report it once they have landed.
        void auth.flush().then(() => this.socket === socket && this.forward([event]));
        continue;
      }
      if (event.type !== 'logged-out') {
        this.forward([event]);
        continue;
      }
      // Reported once the stored keys are gone, so nothing can start again on a revoked device.
      void auth
        .clear()
        .catch((error: Error) => this.warn('clearing auth state failed', error))
        .then(() => this.socket === socket && this.forward([event]));
    }
  }

  private onOwn(socket: Socket, handle: () => void): void {
    if (this.socket !== socket) return;
    try {
      handle();
    } catch (error) {
      this.warn('handling a socket event failed', error as Error);
    }
  }

  private forward(events: ProviderEvent[]): void {
    for (const event of events) void this.emit(event);
  }

  /** The port promises emit never rejects; a listener that breaks it anyway must not break the socket. */
  private emit(event: ProviderEvent): Promise<void> {
    try {
      return Promise.resolve(this.deps.emit(event)).catch((error: Error) => this.warn(`the ${event.type} listener failed`, error));
    } catch (error) {
      this.warn(`the ${event.type} listener failed`, error as Error);
      return Promise.resolve();
    }
  }

  /** Baileys 7 wraps a `ws` WebSocket in `sock.ws` (a protected `socket` field, null before connect and after close). */
  private webSocketOf(socket: Socket): Pausable | undefined {
    const holder = socket.ws as unknown as { socket?: Partial<Pausable> | null };
    const inner = holder.socket;
    if (typeof inner?.pause === 'function' && typeof inner.resume === 'function') return inner as Pausable;
    if (!('socket' in holder) && !this.unpausableWarned) {
      this.unpausableWarned = true;
      this.warn('cannot pause reading for ingest', new Error('this Baileys version exposes no ws WebSocket'));
    }
    return undefined;
  }

  private running(): Socket {
    if (!this.socket) throw new Error(`baileys session ${this.deps.session.name} is not running`);
    return this.socket;
  }

  private async release(): Promise<void> {
    const socket = this.detach();
    if (socket) await this.end(socket);
  }

  private detach(): Socket | undefined {
    const socket = this.socket;
    this.socket = undefined;
    this.config = undefined;
    this.gate?.close();
    this.gate = undefined;
    if (socket) for (const event of EVENTS) socket.ev.removeAllListeners(event);
    return socket;
  }

  private async end(socket: Socket): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, END_WAIT_MS)));
    try {
      await Promise.race([socket.end(undefined).catch((error: Error) => this.warn('closing the socket failed', error)), waited]);
    } finally {
      clearTimeout(timer);
    }
  }

  private warn(message: string, error: Error): void {
    const { company, name } = this.deps.session;
    this.logger.warn({ company: company.slug, session: name, err: error.message }, message);
  }
}

/** `sock.user` is a snapshot taken when Baileys spreads its socket layers; the creds object is the live one. */
function ownJid(socket: Socket): string | undefined {
  return socket.authState.creds.me?.id;
}
