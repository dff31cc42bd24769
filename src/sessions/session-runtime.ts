import type { ProviderClient, SessionRef } from '../providers/provider.port';
import type { Lease } from './session-lease.repository';
import type { SessionStatus } from './session-status';

/** What this process holds for one session: its client, lease, timers and counters. */
export class SessionRuntime {
  client?: ProviderClient;
  /** Held while this process owns the session; its status writes and auth-state writes carry the token. */
  lease?: Lease;
  status: SessionStatus = 'STOPPED';
  /** Counted as taking a slot while a start decides, before its status says so. */
  reserved = false;
  lastActivityAt = Date.now();
  startedAt = 0;
  suspendedAt = 0;
  /** Suspended for lack of room (rotation, memory), so it is resumed when room frees up; idle ones wait for demand. */
  resumeWhenRoom = false;
  inFlightSends = 0;
  reconnectAttempts = 0;
  reconnectTimer?: NodeJS.Timeout;
  /** Bumped for every new client, so late events of a discarded client are ignored. */
  generation = 0;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly key: string,
    readonly ref: SessionRef,
    readonly provider: string,
  ) {}

  /** Runs operations on this session one at a time, in call order. Only the session manager calls it. */
  exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.chain.then(operation, operation);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Detaches the client and every timer; late events of the old client are ignored (generation). */
  detachClient(): ProviderClient | undefined {
    this.clearTimers();
    this.generation++;
    const client = this.client;
    this.client = undefined;
    return client;
  }

  clearTimers(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  /** Runs a client here: owned, with a client or a pending reconnect. */
  get running(): boolean {
    return this.lease !== undefined && (this.client !== undefined || this.reconnectTimer !== undefined);
  }
}
