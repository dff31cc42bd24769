import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { ProviderRegistry } from '../providers/provider-registry';
import type { OutboundMessage, ProviderClient, SendResult } from '../providers/provider.port';
import type { CompanyRecord } from '../tenancy/company';
import { MemoryGuard } from './memory-guard';
import { SessionClients } from './session-clients';
import { SessionLeases } from './session-leases';
import { SessionRuntime } from './session-runtime';
import { SessionSlots } from './session-slots';
import { ACTIVE_STATUSES, type SessionStatus } from './session-status';
import { SessionTransitions } from './session-transitions.service';
import { SessionsException } from './sessions.exception';
import { SessionsRepository } from './sessions.repository';

const SEND_DRAIN_MS = 10_000;

/**
 * Supervises the provider clients this process owns. A client runs only under the session's lease; every
 * operation and transition of a session runs under its lock, and the manager takes that lock itself.
 * Capacity is the slots' job, leases the leases', persisted transitions the transitions', the client's
 * lifecycle (launch, events, reconnects) the clients'.
 */
@Injectable()
export class SessionManager {
  private readonly logger = new Logger(SessionManager.name);
  private readonly runtimes = new Map<string, SessionRuntime>();

  constructor(
    private readonly repository: SessionsRepository,
    private readonly providers: ProviderRegistry,
    private readonly memory: MemoryGuard,
    private readonly slots: SessionSlots,
    private readonly leases: SessionLeases,
    private readonly transitions: SessionTransitions,
    private readonly clients: SessionClients,
    metrics: MetricsService,
  ) {
    metrics.observeSessions(() => this.active().map((runtime) => ({ company: runtime.ref.company.slug, provider: runtime.provider, status: runtime.status })));
  }

  /**
   * Claims the session and starts its client here. `claimOnly` (the claim loop) never rotates anything out and
   * never throws for lack of room. 'elsewhere': a live process owns it, and runs it.
   */
  async start(company: CompanyRecord, name: string, options: { claimOnly?: boolean } = {}): Promise<SessionStatus | 'elsewhere'> {
    const runtime = await this.runtimeFor(company, name);
    return runtime.exclusive(async () => {
      if (runtime.lease && ACTIVE_STATUSES.has(runtime.status)) return runtime.status;
      if (!this.clients.accepting) {
        if (options.claimOnly) return runtime.status;
        throw SessionsException.shuttingDown();
      }
      if (options.claimOnly && (this.memory.isHigh() || !this.slots.hasRoomFor(runtime, this.all()))) return runtime.status;
      if (!options.claimOnly) this.memory.assertRoomToStart();
      const evict = options.claimOnly ? null : (victim: SessionRuntime) => this.suspend(victim, `rotated out for ${runtime.key}`, true);
      await this.slots.reserve(runtime, this.all(), evict);
      try {
        const lease = runtime.lease ?? (await this.leases.claim(runtime));
        if (!lease) {
          if (!options.claimOnly) await this.repository.update(company.slug, name, { desired: 'running' }, ['idle']);
          return 'elsewhere';
        }
        runtime.lease = lease;
        runtime.ref.fence = this.leases.fenceFor(runtime, lease);
        await this.clients.launch(runtime, { desired: 'running' }, ['idle', 'logoutRequested', 'pairingPhone', 'pairingCode']);
        return runtime.status;
      } finally {
        runtime.reserved = false;
      }
    });
  }

  /** Stops the session here if this process owns it; otherwise records the wish, for the owner to act on. */
  async stop(company: CompanyRecord, name: string): Promise<void> {
    const runtime = await this.runtimeFor(company, name);
    await runtime.exclusive(async () => {
      if (runtime.lease) {
        await this.clients.teardown(runtime);
        await this.transitions.apply(runtime, 'STOPPED', undefined, { desired: 'stopped' }, ['idle']);
        return this.clients.releaseLease(runtime);
      }
      await this.repository.update(company.slug, name, { desired: 'stopped' });
      if (await this.repository.updateUnowned(company.slug, name, { status: 'STOPPED' })) runtime.status = 'STOPPED';
    });
  }

  async logout(company: CompanyRecord, name: string): Promise<void> {
    const runtime = await this.runtimeFor(company, name);
    await runtime.exclusive(async () => {
      const lease = runtime.lease ?? (await this.leases.claim(runtime));
      if (!lease) return this.repository.update(company.slug, name, { desired: 'stopped', logoutRequested: true });
      runtime.lease = lease;
      runtime.ref.fence = this.leases.fenceFor(runtime, lease);
      const client = runtime.detachClient() ?? this.providers.adapterFor(company).createClient(runtime.ref, async () => undefined);
      await client.logout().catch((error: Error) => this.logger.warn({ session: runtime.key, err: error.message }, 'logout failed'));
      await this.transitions.apply(runtime, 'LOGGED_OUT', 'logged out by an admin', { desired: 'stopped' }, ['qr', 'logoutRequested']);
      await this.clients.releaseLease(runtime);
    });
  }

  async remove(company: CompanyRecord, name: string): Promise<void> {
    await this.stop(company, name);
    this.runtimes.delete(keyOf(company.slug, name));
  }

  /** Sends through a WORKING session this process owns; the outbox routes each message to its owner. */
  async send(company: CompanyRecord, name: string, message: OutboundMessage): Promise<SendResult> {
    const runtime = this.runtimes.get(keyOf(company.slug, name));
    if (!runtime?.lease || runtime.status !== 'WORKING' || !runtime.client)
      throw SessionsException.notReady(name, runtime?.lease ? runtime.status : 'not running in this process');
    runtime.inFlightSends++;
    try {
      const result = await runtime.client.send(message);
      runtime.lastActivityAt = Date.now();
      return result;
    } finally {
      runtime.inFlightSends--;
    }
  }

  /**
   * The client of a WORKING session this process owns, for what only the live connection can do at once (read
   * receipts, typing, number checks): 409 SESSION_NOT_READY anywhere else.
   */
  ownedClient(company: CompanyRecord, name: string): ProviderClient {
    const runtime = this.runtimes.get(keyOf(company.slug, name));
    if (!runtime?.lease || runtime.status !== 'WORKING' || !runtime.client)
      throw SessionsException.notReady(name, runtime?.lease ? runtime.status : 'not running in this process');
    runtime.lastActivityAt = Date.now();
    return runtime.client;
  }

  /** Asks the owned, pairing client for a code and keeps it in the database; null when it is not owned here. */
  async requestPairingCode(company: CompanyRecord, name: string, phone: string): Promise<string | null> {
    const runtime = await this.runtimeFor(company, name);
    if (!runtime.lease) return null;
    if (!runtime.client || runtime.status !== 'SCAN_QR') throw SessionsException.notReady(name, runtime.status);
    const code = await runtime.client.requestPairingCode(phone);
    await runtime.exclusive(() => this.transitions.persist(runtime, { pairingCode: code }, ['pairingPhone']));
    return code;
  }

  /** Moves an owned session out of this process, resumable later (anywhere): rotation, idle, memory, shutdown. */
  suspend(runtime: SessionRuntime, reason: string, resumeWhenRoom = false, idle = false): Promise<void> {
    return runtime.exclusive(async () => {
      if (!runtime.lease) return;
      // A send cut off half way has an unknown outcome: let the ones in flight finish first.
      for (const deadline = Date.now() + SEND_DRAIN_MS; runtime.inFlightSends > 0 && Date.now() < deadline;) await sleep(25);
      await this.clients.teardown(runtime);
      runtime.suspendedAt = Date.now();
      runtime.resumeWhenRoom = resumeWhenRoom;
      await this.transitions.apply(runtime, 'SUSPENDED', reason, idle ? { idle: true } : {});
      await this.clients.releaseLease(runtime);
    });
  }

  /**
   * Another process may claim the session now (its lease was not renewed in time): the client stops at once, without
   * waiting for the session's lock, which an operation stuck on the unreachable database may hold for long. One device
   * never runs in two processes; the rest of yielding follows under the lock.
   */
  async revokeNow(runtime: SessionRuntime): Promise<void> {
    runtime.lease = undefined;
    runtime.ref.fence = undefined;
    await Promise.all([this.clients.teardown(runtime), this.yieldLost(runtime)]);
  }

  /** Another process owns the session now (or may): drop the client without writing anything. */
  yieldLost(runtime: SessionRuntime): Promise<void> {
    return runtime.exclusive(async () => {
      await this.clients.teardown(runtime);
      runtime.lease = undefined;
      runtime.ref.fence = undefined;
      runtime.status = 'SUSPENDED';
      this.logger.warn({ session: runtime.key }, 'lease lost: another process owns the session; client dropped');
    });
  }

  hasRoomFor(runtime: SessionRuntime): boolean {
    return this.slots.hasRoomFor(runtime, this.all());
  }

  refuseNewStarts(): void {
    this.clients.accepting = false;
  }

  all(): SessionRuntime[] {
    return [...this.runtimes.values()];
  }

  /** Sessions this process runs (owned, holding a slot). */
  active(): SessionRuntime[] {
    return this.all().filter((runtime) => runtime.lease !== undefined && ACTIVE_STATUSES.has(runtime.status));
  }

  runtime(company: string, name: string): SessionRuntime | undefined {
    return this.runtimes.get(keyOf(company, name));
  }

  runtimeByKey(key: string): SessionRuntime | undefined {
    return this.runtimes.get(key);
  }

  async runtimeFor(company: CompanyRecord, name: string): Promise<SessionRuntime> {
    const key = keyOf(company.slug, name);
    const existing = this.runtimes.get(key);
    if (existing) return existing;
    const record = await this.repository.find(company.slug, name);
    if (!record) throw SessionsException.notFound(company.slug, name);
    const runtime = this.runtimes.get(key) ?? new SessionRuntime(key, { company, name, ...(record.sender ? { sender: record.sender } : {}) }, company.provider);
    runtime.status = record.status === 'STOPPED' || record.status === 'LOGGED_OUT' || record.status === 'FAILED' ? record.status : 'SUSPENDED';
    runtime.lastActivityAt = record.lastActivityAt?.getTime() ?? 0;
    this.runtimes.set(key, runtime);
    return runtime;
  }
}

function keyOf(company: string, name: string): string {
  return `${company}:${name}`;
}
