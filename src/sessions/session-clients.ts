import { Inject, Injectable, Logger } from '@nestjs/common';
import { bulkhead, type BulkheadPolicy } from 'cockatiel';
import { sessionsConfig, type SessionsConfig } from '../core/config/configuration';
import { LidMappingsRepository } from '../conversations/lid-mappings.repository';
import { InboundIntake } from '../ingest/inbound-intake.service';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import { ProviderRegistry } from '../providers/provider-registry';
import type { InboundMessage, ProviderEvent } from '../providers/provider-events';
import type { ProviderClient } from '../providers/provider.port';
import { decideOnDisconnect } from './disconnect-policy';
import { SessionEvents } from './session-events';
import { SessionLeases } from './session-leases';
import type { SessionRuntime } from './session-runtime';
import { SessionTransitions } from './session-transitions.service';

type Disconnected = Extract<ProviderEvent, { type: 'disconnected' }>;

/**
 * The client side of a session this process owns: launches its provider client (through the admission queue),
 * turns the client's events into transitions, reconnects, yields or fails on disconnects, and tears down.
 * Every method but the event entry point runs under the session's lock, which the session manager holds.
 */
@Injectable()
export class SessionClients {
  private readonly logger = new Logger(SessionClients.name);
  private readonly admission: BulkheadPolicy;
  /** False once the process is shutting down: nothing reconnects any more. */
  accepting = true;

  constructor(
    private readonly providers: ProviderRegistry,
    private readonly events: SessionEvents,
    private readonly leases: SessionLeases,
    private readonly transitions: SessionTransitions,
    private readonly intake: InboundIntake,
    private readonly lidMappings: LidMappingsRepository,
    private readonly pool: TenantConnectionPool,
    @Inject(sessionsConfig.KEY) private readonly config: SessionsConfig,
  ) {
    this.admission = bulkhead(config.startConcurrency, Number.MAX_SAFE_INTEGER);
  }

  async launch(runtime: SessionRuntime, patch = {}, unset: string[] = []): Promise<void> {
    runtime.clearTimers();
    const generation = ++runtime.generation;
    runtime.startedAt = runtime.lastActivityAt = Date.now();
    await this.transitions.apply(runtime, 'STARTING', undefined, { ...patch, lastActivityAt: new Date() }, unset as never[]);
    if (!runtime.lease) return;
    const client = this.providers.adapterFor(runtime.ref.company).createClient(runtime.ref, async (event) => {
      // A message reported while its client is being replaced was still received (and acknowledged) by WhatsApp.
      if (event.type === 'message') return this.receive(runtime, event.message);
      if (runtime.generation === generation) await this.onEvent(runtime, event);
    });
    runtime.client = client;
    try {
      await this.admission.execute(() => client.start());
      // Revoked while starting (SessionManager.revokeNow stops clients without the lock): stop what has just come up.
      if (runtime.generation !== generation) await this.stopDetached(runtime, client);
    } catch (error) {
      // Not awaited: handling a disconnect takes this session's lock, which the caller of launch holds.
      if (runtime.generation === generation) void this.onEvent(runtime, { type: 'disconnected', reason: (error as Error).message, retryable: true });
    }
  }

  private async onEvent(runtime: SessionRuntime, event: ProviderEvent): Promise<void> {
    const { company, name } = runtime.ref;
    this.events.emit('provider', { company: company.slug, session: name, event });
    const generation = runtime.generation;
    const locked = async (apply: () => Promise<unknown>) => {
      await runtime.exclusive(() => (runtime.generation === generation && runtime.lease ? apply() : Promise.resolve()));
    };
    try {
      switch (event.type) {
        case 'qr':
          return await locked(() => this.transitions.apply(runtime, 'SCAN_QR', undefined, { qr: event.qr }));
        case 'pairing-code':
          return await locked(() => this.transitions.persist(runtime, { pairingCode: event.code }));
        case 'ready':
          return await locked(() => {
            runtime.reconnectAttempts = 0;
            runtime.lastActivityAt = Date.now();
            return this.transitions.apply(runtime, 'WORKING', undefined, { phone: event.phone, lastActivityAt: new Date() }, ['qr', 'reason', 'pairingCode']);
          });
        case 'status':
          return await this.events.applyStatus({ company, session: name, event });
        case 'contact-ids':
          return await this.lidMappings.save(this.pool.contextFor(company), event.mappings);
        case 'disconnected':
          return await locked(() => this.onDisconnect(runtime, event));
        case 'logged-out':
          return await locked(async () => {
            await this.teardown(runtime);
            await this.transitions.apply(runtime, 'LOGGED_OUT', event.reason ?? 'logged out on the phone', { desired: 'stopped' }, ['qr']);
            await this.releaseLease(runtime);
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
    await this.intake
      .accept(company, name, message)
      .catch((error: Error) =>
        this.logger.error({ session: runtime.key, providerMessageId: message.providerMessageId, err: error.message }, 'inbound message not taken by ingest'),
      );
  }

  private async onDisconnect(runtime: SessionRuntime, event: Disconnected): Promise<void> {
    await this.teardown(runtime);
    const decision = decideOnDisconnect(event, runtime.reconnectAttempts + 1, this.config.reconnect, this.accepting);
    switch (decision.action) {
      case 'restart-now':
        return this.launch(runtime);
      case 'reconnect': {
        const attempt = ++runtime.reconnectAttempts;
        await this.transitions.apply(runtime, 'RECONNECTING', `${event.reason} (attempt ${attempt} in ${decision.delayMs} ms)`);
        runtime.reconnectTimer = setTimeout(() => {
          runtime.reconnectTimer = undefined;
          void runtime
            .exclusive(() => (runtime.lease && runtime.status === 'RECONNECTING' ? this.launch(runtime) : Promise.resolve()))
            .catch((error: Error) => this.logger.error({ session: runtime.key, err: error.message }, 'reconnect failed to launch'));
        }, decision.delayMs);
        return;
      }
      case 'yield':
        await this.transitions.apply(runtime, 'STOPPED', `yielded: ${decision.reason}`, { desired: 'stopped' });
        return this.releaseLease(runtime);
      case 'fail':
        await this.transitions.apply(runtime, 'FAILED', decision.reason);
        return this.releaseLease(runtime);
    }
  }

  async teardown(runtime: SessionRuntime): Promise<void> {
    const client = runtime.detachClient();
    if (client) await this.stopDetached(runtime, client);
  }

  private async stopDetached(runtime: SessionRuntime, client: ProviderClient): Promise<void> {
    await client.stop().catch((error: Error) => this.logger.warn({ session: runtime.key, err: error.message }, 'client stop failed'));
  }

  async releaseLease(runtime: SessionRuntime): Promise<void> {
    const lease = runtime.lease;
    runtime.lease = undefined;
    runtime.ref.fence = undefined;
    if (lease)
      await this.leases.release(runtime, lease).catch((error: Error) => this.logger.warn({ session: runtime.key, err: error.message }, 'lease release failed'));
  }
}
