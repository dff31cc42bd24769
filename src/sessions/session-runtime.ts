import type { ProviderClient, SessionRef } from '../providers/provider.port';
import type { SessionStatus } from './session-status';

/** What this process holds for one session: its client, timers and counters. */
export class SessionRuntime {
  client?: ProviderClient;
  status: SessionStatus = 'STOPPED';
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

  /** Runs operations on this session one at a time, in call order. */
  exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.chain.then(operation, operation);
    this.chain = next.catch(() => undefined);
    return next;
  }

  clearTimers(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }
}
