export const SESSION_STATUSES = ['STOPPED', 'STARTING', 'SCAN_QR', 'WORKING', 'RECONNECTING', 'SUSPENDED', 'FAILED', 'LOGGED_OUT'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Statuses that hold a capacity slot (a client exists, or a reconnect is pending). */
export const ACTIVE_STATUSES: ReadonlySet<SessionStatus> = new Set(['STARTING', 'SCAN_QR', 'WORKING', 'RECONNECTING']);

export const SESSION_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
