import type { CompanyRecord } from '../tenancy/company';
import type { EventType, LoggedEvent } from './event-types';

export interface EventQuery {
  /** Cursor of the last event already seen; 0 or absent: from the oldest event kept. */
  after?: number;
  types?: ReadonlySet<EventType>;
  limit: number;
}

export interface EventPage {
  events: LoggedEvent[];
  /** Where the next read starts: the cursor of the last event read, or further when filtered events were skipped. */
  next: number;
  /**
   * Set when the read reached the end of the log: the next event appended will be the first of this page.
   * A follower holding this can take that page straight from the appender (EventBus) without reading it back.
   */
  nextPage?: number;
}

/** Reads a company's event log in order. A cursor older than the retention throws `EVENT_CURSOR_EXPIRED` (410). */
export abstract class EventLogReader {
  abstract read(company: CompanyRecord, query: EventQuery): Promise<EventPage>;
}
