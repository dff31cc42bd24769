/**
 * The lease a session's client runs under: which process owns it, and the fencing token raised at every
 * takeover. Every write of provider auth state carries the token; `assertCurrent` refuses a stale owner.
 */
export interface SessionFence {
  readonly owner: string;
  readonly token: number;
  /** Throws {@link StaleOwnerError} when another process has taken the session over since this token was issued. */
  assertCurrent(): Promise<void>;
}

export class StaleOwnerError extends Error {
  constructor(session: string, token: number) {
    super(`session ${session}: fencing token ${token} is stale; another process owns the session now`);
    this.name = 'StaleOwnerError';
  }
}
