import { Inject, Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { providersConfig, type ProvidersConfig } from '../../core/config/configuration';
import type { CompanyRecord } from '../../tenancy/company';
import { TenantConnectionPool } from '../../tenancy/tenant-connection-pool.service';
import { SIMULATOR_CAPABILITIES } from '../capabilities';
import type { MediaFetchLimits } from '../media-fetch';
import type { ProviderEvent } from '../provider-events';
import { ProviderSendError } from '../provider-send.error';
import {
  ProviderAdapter,
  type DownloadedMedia,
  type MediaDownloadLimits,
  type MediaDownloadRequest,
  type OutboundMessage,
  type ProviderClient,
  type SessionRef,
} from '../provider.port';
import { keyOf } from './simulator-ids';
import { SimulatorClient } from './simulator.client';

type Emit = (event: ProviderEvent) => void;

const AUTH = 'simulator_auth';
/** The simulated WhatsApp's media servers: what a simulated message's media is downloaded from. */
const MEDIA = 'simulator_media';

export { SIMULATED_OWN_NUMBER } from './simulator-ids';

/**
 * A provider with no network, for tests, benchmarks and demos; chosen only when SESSIONS_PROVIDER_OVERRIDE
 * is 'simulator'. A session is "linked" once its QR is scanned (`scan`); its auth state is then kept
 * in the company's database (`simulator_auth`), like real providers keep theirs, so a restarted
 * process starts linked sessions straight to ready without a new QR.
 */
@Injectable()
export class SimulatorAdapter extends ProviderAdapter {
  readonly name = 'simulator' as const;
  readonly capabilities = SIMULATOR_CAPABILITIES;
  private readonly linked = new Set<string>();
  private readonly live = new Map<string, SimulatorClient>();
  private readonly liveSince = new Map<string, number>();
  private failuresToInject = 0;
  private sendFailuresToInject = 0;
  private slowSends = { count: 0, ms: 0 };
  private startHold?: Promise<void>;
  private downloadFailuresToInject = 0;
  /** Everything sent, as the port got it (`bytes`: the size of the media the client fetched, like a real one). */
  readonly sent: Array<{ company: string; session: string; providerMessageId: string; to: string; message: OutboundMessage; bytes?: number }> = [];
  /** Read receipts and typing indicators asked of running clients. */
  readonly actions: Array<{ company: string; session: string; action: 'read' | 'typing'; to: string; typing?: boolean; messages?: string[] }> = [];
  /** Numbers the simulated WhatsApp says have no account; every other one has. */
  readonly absentNumbers = new Set<string>();
  /** Numbers asked about (each lookup reaching the simulated WhatsApp). */
  readonly lookups: string[] = [];
  private sequence = 0;

  constructor(
    private readonly pool: TenantConnectionPool,
    @Inject(providersConfig.KEY) private readonly providers: ProvidersConfig,
  ) {
    super();
  }

  /** @internal Media is fetched as the real clients fetch it: bounded in size and time, no private addresses. */
  fetchLimits(): MediaFetchLimits {
    return this.providers.media;
  }

  createClient(session: SessionRef, emit: Emit): ProviderClient {
    return new SimulatorClient(session, this, emit);
  }

  /** Simulates the phone scanning the QR of a running session. */
  async scan(company: CompanyRecord, session: string): Promise<void> {
    await this.link(company, session);
    this.live.get(`${company.slug}/${session}`)?.linkedNow();
  }

  /** Stores the session's (simulated) auth state, as a scan would. */
  async link(company: CompanyRecord, session: string): Promise<void> {
    await this.pool
      .contextFor(company)
      .run((db) => db.collection(AUTH).updateOne({ _id: session as never }, { $set: { linkedAt: new Date() } }, { upsert: true }));
    this.linked.add(`${company.slug}/${session}`);
  }

  /** The next `count` starts fail as if the network were down. */
  failNextStarts(count: number): void {
    this.failuresToInject = count;
  }

  /** The next client start waits until the returned function is called (a client slow to come up, like Chromium). */
  holdNextStart(): () => void {
    let release!: () => void;
    this.startHold = new Promise((resolve) => (release = resolve));
    return release;
  }

  /** @internal used by SimulatorClient */
  takeStartHold(): Promise<void> {
    const hold = this.startHold ?? Promise.resolve();
    this.startHold = undefined;
    return hold;
  }

  /** The next `count` sends fail as if WhatsApp refused them. */
  failNextSends(count: number): void {
    this.sendFailuresToInject = count;
  }

  /** The next `count` sends take `ms` before WhatsApp answers (a slow network). */
  slowNextSends(count: number, ms: number): void {
    this.slowSends = { count, ms };
  }

  /** The next `count` media downloads fail as if the network dropped. */
  failNextDownloads(count: number): void {
    this.downloadFailuresToInject = count;
  }

  /** Keeps the bytes of a simulated inbound message's media where its client downloads them from. */
  async holdMedia(company: CompanyRecord, session: string, providerMessageId: string, data: Buffer): Promise<void> {
    const held = { _id: `${session}/${providerMessageId}`, data: new mongo.Binary(data) };
    await this.pool
      .contextFor(company)
      .run((db) => db.db!.collection<typeof held>(MEDIA).insertOne(held))
      .catch((error: { code?: number }) => {
        if (error.code !== 11000) throw error;
      });
  }

  /** @internal */
  async mediaFor(session: SessionRef, request: MediaDownloadRequest, limits: MediaDownloadLimits): Promise<DownloadedMedia> {
    if (this.downloadFailuresToInject > 0) {
      this.downloadFailuresToInject--;
      throw new ProviderSendError('simulated download failure', false);
    }
    const held = await this.pool
      .contextFor(session.company)
      .run((db) => db.db!.collection<{ _id: string; data: mongo.Binary }>(MEDIA).findOne({ _id: `${session.name}/${request.providerMessageId}` }));
    if (!held) throw new ProviderSendError('simulated media is gone', true);
    const data = Buffer.from(held.data.buffer);
    if (data.length > limits.maxBytes) throw new ProviderSendError(`media too large: ${data.length} bytes (limit ${limits.maxBytes})`, true);
    return { data };
  }

  /** @internal */
  takeSendDelay(): number {
    if (this.slowSends.count === 0) return 0;
    this.slowSends.count--;
    return this.slowSends.ms;
  }

  /** @internal */
  takeSendFailure(): boolean {
    if (this.sendFailuresToInject === 0) return false;
    this.sendFailuresToInject--;
    return true;
  }

  /** Delivers provider events to a running session, as WhatsApp would (messages, acks, disconnects). */
  inject(company: string, session: string, event: ProviderEvent): boolean {
    const client = this.live.get(`${company}/${session}`);
    client?.deliver(event);
    return client !== undefined;
  }

  isRunning(company: string, session: string): boolean {
    return this.live.has(`${company}/${session}`);
  }

  runningCount(): number {
    return this.live.size;
  }

  /** Every live client of this process (`company:session`), with when it attached (epoch ms). */
  liveClients(): Array<{ session: string; since: number }> {
    return [...this.live.keys()].map((key) => ({ session: key.replace('/', ':'), since: this.liveSince.get(key) ?? 0 }));
  }

  /** @internal used by SimulatorClient */
  attach(key: string, client: SimulatorClient): boolean {
    if (this.failuresToInject > 0) {
      this.failuresToInject--;
      return false;
    }
    this.live.set(key, client);
    this.liveSince.set(key, Date.now());
    return true;
  }

  /** @internal */
  async detach(session: SessionRef, client: SimulatorClient, forget: boolean): Promise<void> {
    const key = keyOf(session);
    if (this.live.get(key) === client) {
      this.live.delete(key);
      this.liveSince.delete(key);
    }
    if (!forget) return;
    this.linked.delete(key);
    await this.pool.contextFor(session.company).run((db) => db.collection(AUTH).deleteOne({ _id: session.name as never }));
  }

  /** @internal */
  async isLinked(session: SessionRef): Promise<boolean> {
    if (this.linked.has(keyOf(session))) return true;
    const stored = await this.pool.contextFor(session.company).run((db) => db.collection(AUTH).findOne({ _id: session.name as never }));
    if (stored) this.linked.add(keyOf(session));
    return stored !== null;
  }

  /** @internal */
  nextId(): string {
    return `SIM${(++this.sequence).toString(36).toUpperCase().padStart(8, '0')}`;
  }
}
