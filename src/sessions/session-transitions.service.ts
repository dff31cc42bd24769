import { Injectable, Logger } from '@nestjs/common';
import { SessionEvents } from './session-events';
import type { SessionRuntime } from './session-runtime';
import type { SessionStatus } from './session-status';
import { assertTransition } from './session-transitions';
import { SessionsRepository, type SessionPatch } from './sessions.repository';

/**
 * Applies a session's transitions: checked against the table, persisted as the owner (refused once another
 * process holds the lease, which then drops the client here), then emitted. Callers hold the session's lock.
 */
@Injectable()
export class SessionTransitions {
  private readonly logger = new Logger(SessionTransitions.name);

  constructor(
    private readonly repository: SessionsRepository,
    private readonly events: SessionEvents,
  ) {}

  async apply(
    runtime: SessionRuntime,
    status: SessionStatus,
    reason?: string,
    patch: SessionPatch = {},
    unset: Array<keyof SessionPatch> = [],
  ): Promise<boolean> {
    assertTransition(runtime.key, runtime.status, status);
    const fields: SessionPatch = { ...patch, status };
    if (reason !== undefined) fields.reason = reason;
    if (
      !(await this.persist(
        runtime,
        fields,
        unset.filter((field) => !(field in fields)),
      ))
    )
      return false;
    runtime.status = status;
    this.events.emit('transition', { company: runtime.ref.company.slug, session: runtime.ref.name, status, reason, qr: patch.qr, at: new Date() });
    return true;
  }

  /** The owner's write; false (and the client dropped) when this process no longer holds the lease. */
  async persist(runtime: SessionRuntime, patch: SessionPatch, unset: Array<keyof SessionPatch> = []): Promise<boolean> {
    const lease = runtime.lease;
    if (!lease) return false;
    const { company, name } = runtime.ref;
    if (await this.repository.updateAsOwner(company.slug, name, lease, patch, unset)) return true;
    this.logger.warn({ session: runtime.key, token: lease.token }, 'write refused: the lease moved to another process; dropping the client');
    runtime.lease = undefined;
    runtime.ref.fence = undefined;
    runtime.status = 'SUSPENDED';
    await runtime
      .detachClient()
      ?.stop()
      .catch(() => undefined);
    return false;
  }
}
