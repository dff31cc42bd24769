import { rm, rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Logger } from '@nestjs/common';
import { Client, type Message } from 'whatsapp-web.js';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { ProviderEvent } from '../provider-events';
import {
  ProviderClient,
  type ChatReadRequest,
  type ContactProfile,
  type DownloadedMedia,
  type EmitProviderEvent,
  type MediaDownloadLimits,
  type MediaDownloadRequest,
  type NumberCheck,
  type OutboundMessage,
  type SendResult,
  type SessionRef,
} from '../provider.port';
import { whatsappWebChatOps } from './whatsapp-web-chat-ops';
import { WhatsappWebMedia } from './whatsapp-web-media';
import type { ChromiumProcessReaper } from './chromium-process.reaper';
import { GridFsSessionStore } from './gridfs-session.store';
import { GuardedRemoteAuth } from './guarded-remote-auth';
import { settleWithin } from '../../core/async/settle-within';
import { clientOptionsFor, type WhatsappWebSettings } from './whatsapp-web-client.options';
import { disconnectedEvent, phoneOf, statusOfAck } from './whatsapp-web-event.mapper';
import { importRecentHistory } from './whatsapp-web-history.importer';
import { translateInbound } from './whatsapp-web-inbound.translator';
import { sendOutbound } from './whatsapp-web-outbound.sender';
import { sessionPathsFor, type WhatsappWebSessionPaths } from './whatsapp-web-session-paths';

const DESTROY_TIMEOUT_MS = 5_000;
const START_SETTLE_TIMEOUT_MS = 5_000;
const FINAL_BACKUP_TIMEOUT_MS = 30_000;
const LOGOUT_TIMEOUT_MS = 15_000;

export interface WhatsappWebClientDeps {
  session: SessionRef;
  tenant: TenantContext;
  settings: WhatsappWebSettings;
  reaper: ChromiumProcessReaper;
  emit: EmitProviderEvent;
  /** Told when the client holds a browser and when it holds nothing any more. */
  onLive: (client: WhatsappWebClient, live: boolean) => void;
}

/** One start of the browser: everything a stop must release. */
interface Run {
  client: Client;
  auth: GuardedRemoteAuth;
  abort: AbortController;
  /** Settles when `initialize()` does; never rejects. */
  settled: Promise<void>;
  awaitingLink: boolean;
  ready: boolean;
  phone?: string;
  /** Messages are handed over one at a time, in the order the page reported them. */
  deliveries: Promise<void>;
  teardown?: Promise<void>;
}

/** A whatsapp-web.js session: one headless Chromium driving WhatsApp Web, auth state kept in the company's database. */
export class WhatsappWebClient extends ProviderClient {
  private readonly logger = new Logger(WhatsappWebClient.name);
  private readonly paths: WhatsappWebSessionPaths;
  private readonly store: GridFsSessionStore;
  private run?: Run;
  private starting?: Promise<void>;
  private lastTeardown: Promise<void> = Promise.resolve();
  private readonly media = new WhatsappWebMedia();

  constructor(private readonly deps: WhatsappWebClientDeps) {
    super();
    this.paths = sessionPathsFor(deps.session, deps.settings.tempRoot);
    this.store = new GridFsSessionStore(deps.tenant, this.paths.dataPath, deps.session.fence);
  }

  get userDataDir(): string {
    return this.paths.userDataDir;
  }

  start(): Promise<void> {
    if (this.run) return Promise.resolve();
    this.starting ??= this.launch().finally(() => (this.starting = undefined));
    return this.starting;
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    return this.run ? this.shutdown(this.run, true) : this.lastTeardown;
  }

  private async launch(): Promise<void> {
    await this.lastTeardown;
    // A browser left by a crashed process still holds this profile; RemoteAuth is about to replace it.
    await this.deps.reaper.reap(this.paths.userDataDir, { graceMs: 0 });
    const abort = new AbortController();
    const auth = new GuardedRemoteAuth({
      clientId: this.paths.clientId,
      dataPath: this.paths.dataPath,
      store: this.store,
      backupSyncIntervalMs: this.deps.settings.authBackupIntervalMs,
      signal: abort.signal,
      logger: this.logger,
    });
    const client = new Client(clientOptionsFor(this.deps.settings, auth));
    const run: Run = { client, auth, abort, settled: Promise.resolve(), awaitingLink: false, ready: false, deliveries: Promise.resolve() };
    this.run = run;
    this.deps.onLive(this, true);
    this.listen(run);
    let failure: unknown;
    run.settled = client.initialize().then(
      () => undefined,
      (error: unknown) => void (failure = error ?? new Error('initialize failed')),
    );
    void run.settled.then(() => {
      if (failure !== undefined && !abort.signal.aborted) void this.startFailed(run, failure);
    });
  }

  async logout(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const run = this.run;
    // Detached first: the page's own LOGOUT navigation must not report a second logged-out.
    this.run = undefined;
    if (run?.ready) {
      const loggedOut = run.client.logout().catch((error: unknown) => this.logger.warn({ err: error, ...this.ids() }, 'whatsapp-web logout failed'));
      await settleWithin(loggedOut, LOGOUT_TIMEOUT_MS);
    }
    if (run) await this.shutdown(run, false);
    await this.lastTeardown;
    await this.store.delete({ session: this.paths.sessionName });
    void this.safeEmit({ type: 'logged-out', reason: 'logout requested' });
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    return sendOutbound(this.readyClient(), message, this.deps.settings.media);
  }

  override async downloadMedia(request: MediaDownloadRequest, limits: MediaDownloadLimits): Promise<DownloadedMedia> {
    return this.media.download(this.readyClient(), request, limits);
  }

  override async markRead({ to }: ChatReadRequest): Promise<void> {
    return whatsappWebChatOps.markRead(this.readyClient(), to);
  }

  override async sendTyping(to: string, typing: boolean): Promise<void> {
    return whatsappWebChatOps.sendTyping(this.readyClient(), to, typing);
  }

  override async checkNumbers(phones: string[]): Promise<NumberCheck[]> {
    return whatsappWebChatOps.checkNumbers(this.readyClient(), phones);
  }

  override async profile(phone: string): Promise<ContactProfile> {
    return whatsappWebChatOps.profile(this.readyClient(), phone);
  }

  private readyClient(): Client {
    if (!this.run?.ready) throw new Error('whatsapp-web session is not ready');
    return this.run.client;
  }

  async requestPairingCode(phone: string): Promise<string> {
    const run = this.run;
    if (!run) throw new Error('whatsapp-web session is not running');
    if (run.ready) throw new Error('whatsapp-web session is already linked');
    if (!run.awaitingLink) throw new Error('whatsapp-web session is not waiting for a link yet; retry after its QR event');
    return run.client.requestPairingCode(phone.replace(/\D/g, ''));
  }

  /** Test seam: the running whatsapp-web.js client, to replay what the page would report. */
  libraryClientForTest(): Client | undefined {
    return this.run?.client;
  }

  private listen(run: Run): void {
    const { client } = run;
    const emit = (event: ProviderEvent) => {
      if (this.run === run) void this.safeEmit(event);
    };
    client.on('qr', (qr: string) => {
      run.awaitingLink = true;
      emit({ type: 'qr', qr });
    });
    client.on('code', (code: string) => emit({ type: 'pairing-code', code }));
    client.on('authenticated', () => emit({ type: 'authenticated' }));
    client.on('ready', () => {
      run.ready = true;
      run.awaitingLink = false;
      run.phone = phoneOf(client.info?.wid?._serialized, this.deps.settings.defaultPhoneRegion);
      emit({ type: 'ready', phone: run.phone });
      if (this.deps.settings.history.enabled) void this.importHistory(run);
    });
    // `message_create` is every new message, ours included; `message` repeats the ones from others.
    client.on('message_create', (message: Message) => {
      if (this.run === run) run.deliveries = run.deliveries.then(() => this.deliver(run, message));
    });
    client.on('message_ack', (message: Message, ack: number) => {
      const status = statusOfAck(ack);
      if (status) emit({ type: 'status', providerMessageId: message.id._serialized, status, at: new Date() });
    });
    client.on('disconnected', (reason: string) => {
      run.ready = false;
      emit(disconnectedEvent(String(reason)));
    });
    client.on('auth_failure', (message: string) => emit({ type: 'disconnected', reason: `auth failure: ${message}`, retryable: false }));
  }

  /**
   * Waits until ingest holds the message: the page cannot be paused, so waiting here keeps the order and
   * lets the backlog queue here rather than lose anything. A message the page reported while this run was
   * live is handed over even if the run stopped meanwhile.
   */
  private async deliver(run: Run, message: Message): Promise<void> {
    try {
      const inbound = await translateInbound(run.client, message, run.phone, this.deps.settings.defaultPhoneRegion);
      if (inbound?.media) this.media.remember(message);
      if (inbound) await this.safeEmit({ type: 'message', message: inbound });
    } catch (error) {
      this.logger.warn({ err: error, ...this.ids() }, 'whatsapp-web inbound message dropped');
    }
  }

  private async importHistory(run: Run): Promise<void> {
    const { history } = this.deps.settings;
    try {
      const deliver = (message: Message) => (this.run === run ? this.deliver(run, message) : Promise.resolve());
      const count = await importRecentHistory(run.client, history, deliver, () => this.run !== run);
      this.logger.log({ ...this.ids(), count }, 'whatsapp-web history imported');
    } catch (error) {
      this.logger.warn({ err: error, ...this.ids() }, 'whatsapp-web history import failed');
    }
  }

  private async startFailed(run: Run, error: unknown): Promise<void> {
    if (this.run !== run) return;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn({ ...this.ids(), reason }, 'whatsapp-web start failed');
    await this.shutdown(run, false);
    void this.safeEmit({ type: 'disconnected', reason, retryable: true });
  }

  private shutdown(run: Run, backup: boolean): Promise<void> {
    if (this.run === run) this.run = undefined;
    if (!run.teardown) {
      run.teardown = this.teardown(run, backup).finally(() => this.deps.onLive(this, false));
      this.lastTeardown = run.teardown;
    }
    return run.teardown;
  }

  /** Closes the browser, waits for its tree to exit (killing what outlives the grace period) and frees everything. */
  private async teardown(run: Run, backup: boolean): Promise<void> {
    const backupWorthy = backup && (run.auth.syncing || run.auth.linked);
    run.abort.abort();
    await this.closeBrowser(run);
    if (!(await settleWithin(run.settled, START_SETTLE_TIMEOUT_MS))) {
      void run.settled.then(() => this.closeBrowser(run).then(() => this.reap(run)));
    }
    // A stop during launch: the browser may have come up after the first close.
    await this.closeBrowser(run);
    if (backupWorthy) await settleWithin(run.auth.backupNow(), FINAL_BACKUP_TIMEOUT_MS);
    await this.reap(run);
    run.client.removeAllListeners();
    await rm(this.paths.dataPath, { recursive: true, force: true, maxRetries: 3 }).catch((error: unknown) =>
      this.logger.warn({ err: error, ...this.ids() }, 'whatsapp-web session directory not removed'),
    );
    await rmdir(dirname(this.paths.dataPath)).catch(() => undefined); // the company's folder, once its last session is gone
  }

  private async closeBrowser(run: Run): Promise<void> {
    const destroyed = run.client.destroy().catch((error: unknown) => this.logger.warn({ err: error, ...this.ids() }, 'whatsapp-web destroy failed'));
    await settleWithin(destroyed, DESTROY_TIMEOUT_MS);
  }

  private async reap(run: Run): Promise<void> {
    const browserPid = run.client.pupBrowser?.process()?.pid;
    const killed = await this.deps.reaper.reap(this.paths.userDataDir, { browserPid });
    if (killed.length > 0) this.logger.warn({ ...this.ids(), killed }, 'killed Chromium processes that outlived the browser close');
  }

  /** Never rejects: the port promises emit does not, and a listener that breaks that must not stop the client. */
  private async safeEmit(event: ProviderEvent): Promise<void> {
    try {
      await this.deps.emit(event);
    } catch (error) {
      this.logger.error({ err: error, ...this.ids(), event: event.type }, 'provider event listener threw');
    }
  }

  private ids(): { company: string; session: string } {
    return { company: this.deps.session.company.slug, session: this.deps.session.name };
  }
}
