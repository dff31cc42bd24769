import type { SessionStatus } from './session-status';

/** Every status a session may move to from each status; anything else is a bug and is refused. */
export const ALLOWED_TRANSITIONS: Readonly<Record<SessionStatus, ReadonlySet<SessionStatus>>> = {
  STOPPED: new Set(['STARTING', 'STOPPED', 'LOGGED_OUT', 'SUSPENDED']),
  STARTING: new Set(['SCAN_QR', 'WORKING', 'RECONNECTING', 'STARTING', 'FAILED', 'LOGGED_OUT', 'STOPPED', 'SUSPENDED']),
  SCAN_QR: new Set(['SCAN_QR', 'WORKING', 'RECONNECTING', 'STARTING', 'FAILED', 'LOGGED_OUT', 'STOPPED', 'SUSPENDED']),
  WORKING: new Set(['WORKING', 'RECONNECTING', 'STARTING', 'FAILED', 'LOGGED_OUT', 'STOPPED', 'SUSPENDED']),
  RECONNECTING: new Set(['STARTING', 'FAILED', 'LOGGED_OUT', 'STOPPED', 'SUSPENDED']),
  SUSPENDED: new Set(['STARTING', 'SUSPENDED', 'STOPPED', 'LOGGED_OUT']),
  FAILED: new Set(['STARTING', 'FAILED', 'STOPPED', 'LOGGED_OUT']),
  LOGGED_OUT: new Set(['STARTING', 'LOGGED_OUT', 'STOPPED']),
};

export class IllegalTransitionError extends Error {
  constructor(session: string, from: SessionStatus, to: SessionStatus) {
    super(`session ${session}: ${from} → ${to} is not an allowed transition`);
    this.name = 'IllegalTransitionError';
  }
}

export function assertTransition(session: string, from: SessionStatus, to: SessionStatus): void {
  if (!ALLOWED_TRANSITIONS[from].has(to)) throw new IllegalTransitionError(session, from, to);
}
