import { eventId } from './event-id';
import type { StoredEvent } from './event-page.repository';
import type { EventDraft, LoggedEvent } from './event-types';

export function toStored(company: string, draft: EventDraft): StoredEvent {
  const stored: StoredEvent = { id: eventId(company, draft.key), key: draft.key, type: draft.type, at: draft.occurredAt, data: draft.data };
  if (draft.session !== undefined) stored.session = draft.session;
  return stored;
}

export function toLogged(company: string, stored: StoredEvent, cursor: number): LoggedEvent {
  const logged: LoggedEvent = { id: stored.id, cursor, type: stored.type, company, timestamp: stored.at.toISOString(), data: stored.data };
  if (stored.session !== undefined) logged.session = stored.session;
  return logged;
}
