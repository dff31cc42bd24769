export const EVENT_TYPES = [
  'message.received',
  'message.sent',
  'message.status',
  'session.status',
  'session.qr',
  'prospect.created',
  'prospect.updated',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * One entry of a company's event log, exactly as webhooks post it and the live stream emits it.
 * `id` is fixed when the change happens and never changes (retries, replays): it is the `webhook-id`.
 */
export interface LoggedEvent {
  id: string;
  /** Position in the company's log; strictly increasing in log order. Pass it back as `after`. */
  cursor: number;
  type: EventType;
  company: string;
  session?: string;
  /** When the change happened (ISO-8601). */
  timestamp: string;
  data: Record<string, unknown>;
}

/** An event before the log gives it its cursor. `key` names the change, so a replay recognises it. */
export interface EventDraft {
  key: string;
  type: EventType;
  session?: string;
  occurredAt: Date;
  data: Record<string, unknown>;
}
