import { Inject, Injectable, Logger } from '@nestjs/common';
import { bulkhead, type BulkheadPolicy } from 'cockatiel';
import { sessionsConfig, type SessionsConfig } from '../core/config/configuration';
import { InboundIntake } from '../ingest/inbound-intake.service';
import { MetricsService } from '../metrics/metrics.service';
import type { InboundMessage, ProviderEvent } from '../providers/provider-events';
import type { OutboundMessage, SendResult } from '../providers/provider.port';
import type { CompanyRecord } from '../tenancy/company';
import { MemoryGuard } from './memory-guard';
import { ProviderRegistry } from './provider-registry';
import { reconnectDelayMs } from './reconnect-backoff';
import { planCapacity, type CapacityView } from './session-capacity';
import { SessionEvents } from './session-events';
import { SessionRuntime } from './session-runtime';
import { ACTIVE_STATUSES, type SessionStatus } from './session-status';
import { SessionsException } from './sessions.exception';
import { SessionsRepository, type SessionPatch } from './sessions.repository';

/**
 * Supervises every provider client of this process: caps (global, per provider, per company) with
 * rotation of the least recently active session, a memory guard before each start, an admission
 * queue for starts, reconnects with backoff and an attempt budget, one operation at a time per
 * session. Every status change is persisted and emitted.
 */
@Injectable()
export class SessionManager {
  private readonly logger = new Logger(SessionManager.name);
  private readonly runtimes = new Map<string, SessionRuntime>();
  private readonly admission: BulkheadPolicy;
  /** Serialises capacity decisions, so concurrent starts cannot all see the same free slot. */
  private capacityLock: Promise<unknown> = Promise.resolve();
  private accepting = true;

  constructor(
    private readonly repository: SessionsRepository,
    private readonly providers: ProviderRegistry,
    private readonly memory: MemoryGuard,
    private readonly events: SessionEvents,
    private readonly intake: InboundIntake,
    @Inject(sessionsConfig.KEY) private readonly config: SessionsConfig,
    metrics: MetricsService,
  ) {
    this.admission = bulkhead(config.startConcurrency, Number.MAX_SAFE_INTEGER);
    metrics.observeSessions(() => this.all().map((runtime) => ({ company: runtime.ref.company.slug, provider: runtime.provider, status: runtime.status })));
  }

  async start(company: CompanyRecord, name: string): Promise<SessionStatus> {
    const runtime = await this.runtimeFor(company, name);
    return runtime.exclusive(async () => {
      if (!this.accepting) throw SessionsException.shuttingDown();
      if (ACTIVE_STATUSES.has(runtime.status)) return runtime.status;
      this.memory.assertRoomToStart();
      const previous = runtime.status;
      await this.reserveSlot(runtime);
      try {
        await this.persist(runtime, { desired: 'running' });
        await this.admission.execute(() => this.launch(runtime));
      } catch (error) {
        if (runtime.status === 'STARTING' && !runtime.client) runtime.status = previous;
        throw error;
      }
      return runtime.status;
    });
  }

  async stop(company: CompanyRecord, name: string): Promise<void> {
    const runtime = await this.runtimeFor(company, name);
    await runtime.exclusive(async () => {
      await this.teardown(runtime);
      await this.transition(runtime, 'STOPPED', undefined, { desired: 'stopped' });
    });
  }

  async logout(company: CompanyRecord, name: string): Promise<void> {
    const runtime = await this.runtimeFor(company, name);
    await runtime.exclusive(async () => {
      runtime.clearTimers();
      const client = runtime.client ?? this.providers.adapterFor(company).createClient(runtime.ref, async () => undefined);
      runtime.client = undefined;
      runtime.generation++;
      await client.logout().catch((error: Error) => this.logger.warn({ session: runtime.key, err: error.message }, 'logout failed'));
      await this.transition(runtime, 'LOGGED_OUT', 'logged out by an admin', { desired: 'stopped' }, ['qr']);
    });
  }

  async remove(company: CompanyRecord, name: string): Promise<void> {
    await this.stop(company, name);
    this.runtimes.delete(keyOf(company.slug, name));
  }

  /** Sends through a WORKING session; a suspended one is resumed first (the send waits for it only if it is ready at once). */
  async send(company: CompanyRecord, name: string, message: OutboundMessage): Promise<SendResult> {
    const runtime = await this.runtimeFor(company, name);
    if (runtime.status === 'SUSPENDED') await this.start(company, name);
    if (runtime.status !== 'WORKING' || !runtime.client) throw SessionsException.notReady(name, runtime.status);
    runtime.inFlightSends++;
    try {
      const result = await runtime.client.send(message);
      runtime.lastActivityAt = Date.now();
      return result;
    } finally {
      runtime.inFlightSends--;
    }
  }

  async requestPairingCode(company: CompanyRecord, name: string, phone: string): Promise<string> {
    const runtime = await this.runtimeFor(company, name);
    if (!runtime.client || runtime.status !== 'SCAN_QR') throw SessionsException.notReady(name, runtime.status);
    return runtime.client.requestPairingCode(phone);
  }

  /** Moves a session out of its slot, resumable later: rotation, idle timeout, memory pressure, shutdown. */
  async suspend(runtime: SessionRuntime, reason: string, resumeWhenRoom = false): Promise<void> {
    await this.teardown(runtime);
    runtime.suspendedAt = Date.now();
    runtime.resumeWhenRoom = resumeWhenRoom;
    await this.transition(runtime, 'SUSPENDED', reason);
  }

  /** Whether the session could start now without rotating another one out. */
  hasRoomFor(runtime: SessionRuntime): boolean {
    const plan = this.capacityPlan(runtime);
    return plan.ok && plan.evict.length === 0;
  }

  /** Stops taking new work; used first thing on shutdown. */
  refuseNewStarts(): void {
    this.accepting = false;
  }

  all(): SessionRuntime[] {
    return [...this.runtimes.values()];
  }

  active(): SessionRuntime[] {
    return this.all().filter((runtime) => ACTIVE_STATUSES.has(runtime.status));
  }

  runtime(company: string, name: string): SessionRuntime | undefined {
    return this.runtimes.get(keyOf(company, name));
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

  /** Decides, rotates out if needed, and counts the session as STARTING before anyone else may decide. */
  private reserveSlot(runtime: SessionRuntime): Promise<void> {
    const decision = this.capacityLock.then(async () => {
      const plan = this.capacityPlan(runtime);
      if (!plan.ok) throw SessionsException.capacity(plan.scope);
      for (const victim of plan.evict) {
        const other = this.runtimes.get(victim.key);
        if (other) await other.exclusive(() => this.suspend(other, `rotated out for ${runtime.key}`, true));
      }
      runtime.status = 'STARTING';
    });
    this.capacityLock = decision.catch(() => undefined);
    return decision;
  }

  private capacityPlan(runtime: SessionRuntime) {
    const views: CapacityView[] = this.active().map((r) => ({
      key: r.key,
      company: r.ref.company.slug,
      provider: r.provider,
      status: r.status,
      lastActivityAt: r.lastActivityAt,
      inFlightSends: r.inFlightSends,
    }));
    return planCapacity(views, runtime.ref.company.slug, runtime.provider, {
      maxActive: this.config.maxActive,
      maxPerCompany: this.config.maxPerCompany,
      maxPerProvider: { 'whatsapp-web': this.config.maxWhatsappWeb },
    });
  }

  private async launch(runtime: SessionRuntime): Promise<void> {
    runtime.clearTimers();
    const generation = ++runtime.generation;
    runtime.startedAt = Date.now();
    runtime.lastActivityAt = Date.now();
    await this.transition(runtime, 'STARTING', undefined, { lastActivityAt: new Date() });
    const client = this.providers.adapterFor(runtime.ref.company).createClient(runtime.ref, async (event) => {
      // A message reported while its client is being replaced was still received (and acknowledged) by WhatsApp.
      if (event.type === 'message') return this.receive(runtime, event.message);
      if (runtime.generation === generation) await this.onEvent(runtime, event);
    });
    runtime.client = client;
    try {
      await client.start();
    } catch (error) {
      // Not awaited: handling a disconnect takes this session's lock, which the caller of launch holds.
      if (runtime.generation === generation) void this.onEvent(runtime, { type: 'disconnected', reason: (error as Error).message, retryable: true });
    }
  }

  private async onEvent(runtime: SessionRuntime, event: ProviderEvent): Promise<void> {
    const { company, name } = runtime.ref;
    this.events.emit('provider', { company: company.slug, session: name, event });
    try {
      switch (event.type) {
        case 'qr':
          return await this.transition(runtime, 'SCAN_QR', undefined, { qr: event.qr });
        case 'ready':
          runtime.reconnectAttempts = 0;
          runtime.lastActivityAt = Date.now();
          return await this.transition(runtime, 'WORKING', undefined, { phone: event.phone, lastActivityAt: new Date() }, ['qr', 'reason']);
        case 'status':
          return await this.events.applyStatus({ company: company.slug, session: name, event });
        case 'disconnected':
          return await runtime.exclusive(() => (event.retryable ? this.scheduleReconnect(runtime, event.reason) : this.fail(runtime, event.reason)));
        case 'logged-out':
          return await runtime.exclusive(async () => {
            await this.teardown(runtime);
            await this.transition(runtime, 'LOGGED_OUT', event.reason ?? 'logged out on the phone', { desired: 'stopped' }, ['qr']);
          });
        default:
          return;
      }
    } catch (error) {
      this.logger.error({ session: runtime.key, event: event.type, err: error }, 'session event handling failed');
    }
  }

  /** Resolves once ingest holds the message; never rejects, so a source can wait on it to pace itself. */
  private async receive(runtime: SessionRuntime, message: InboundMessage): Promise<void> {
    runtime.lastActivityAt = Date.now();
    const { company, name } = runtime.ref;
    await this.intake.accept(company.slug, name, message).catch((error: Error) =>
      this.logger.error({ session: runtime.key, providerMessageId: message.providerMessageId, err: error.message }, 'inbound message not taken by ingest'),
    );
  }

  private async scheduleReconnect(runtime: SessionRuntime, reason: string): Promise<void> {
    await this.teardown(runtime);
    const attempt = ++runtime.reconnectAttempts;
    const delay = this.accepting ? reconnectDelayMs(this.config.reconnect, attempt) : null;
    if (delay === null) return this.fail(runtime, `gave up after ${attempt - 1} reconnect attempts: ${reason}`);
    await this.transition(runtime, 'RECONNECTING', `${reason} (attempt ${attempt} in ${delay} ms)`);
    runtime.reconnectTimer = setTimeout(() => {
      runtime.reconnectTimer = undefined;
      void runtime.exclusive(() => this.admission.execute(() => this.launch(runtime))).catch((error: Error) =>
        this.logger.error({ session: runtime.key, err: error.message }, 'reconnect failed to launch'),
      );
    }, delay);
  }

  private async fail(runtime: SessionRuntime, reason: string): Promise<void> {
    await this.teardown(runtime);
    await this.transition(runtime, 'FAILED', reason);
  }

  /** Drops the client and every timer; late events of the old client are ignored (generation). */
  private async teardown(runtime: SessionRuntime): Promise<void> {
    runtime.clearTimers();
    runtime.generation++;
    const client = runtime.client;
    runtime.client = undefined;
    await client?.stop().catch((error: Error) => this.logger.warn({ session: runtime.key, err: error.message }, 'client stop failed'));
  }

  private async transition(runtime: SessionRuntime, status: SessionStatus, reason?: string, patch: SessionPatch = {}, unset: Array<keyof SessionPatch> = []): Promise<void> {
    runtime.status = status;
    const fields: SessionPatch = { ...patch, status };
    if (reason !== undefined) fields.reason = reason;
    await this.persist(runtime, fields, unset.filter((field) => !(field in fields)));
    this.events.emit('transition', { company: runtime.ref.company.slug, session: runtime.ref.name, status, reason, at: new Date() });
  }

  private persist(runtime: SessionRuntime, patch: SessionPatch, unset: Array<keyof SessionPatch> = []): Promise<void> {
    return this.repository.update(runtime.ref.company.slug, runtime.ref.name, patch, unset);
  }
}

function keyOf(company: string, name: string): string {
  return `${company}:${name}`;
}
