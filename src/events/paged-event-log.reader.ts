import { Injectable } from '@nestjs/common';
import type { CompanyRecord } from '../tenancy/company';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import { cursorOf, positionOf } from './event-cursor';
import { EventLogReader, type EventPage, type EventQuery } from './event-log.reader';
import { EventPageRepository } from './event-page.repository';
import { EventsException } from './events.exception';
import { toLogged } from './logged-event';

/** Pages one read may look at: a rare type filter returns fewer events and a `next` past what it skipped. */
const MAX_PAGES_PER_READ = 200;

/** Reads the log page by page (one read by `_id` each), from the page holding the cursor. */
@Injectable()
export class PagedEventLogReader extends EventLogReader {
  constructor(
    private readonly pool: TenantConnectionPool,
    private readonly pages: EventPageRepository,
  ) {
    super();
  }

  async read(company: CompanyRecord, { after = 0, types, limit }: EventQuery): Promise<EventPage> {
    const tenant = this.pool.contextFor(company);
    const floor = await this.pages.floor(tenant);
    let { page, index } = after > 0 ? positionOf(after) : { page: floor, index: -1 };
    if (page < floor) throw EventsException.cursorExpired(after, cursorOf(floor, 0));
    index += 1;
    const result: EventPage = { events: [], next: after };
    for (let read = 0; read < MAX_PAGES_PER_READ && result.events.length < limit; read++, page++, index = 0) {
      const doc = await this.pages.get(tenant, page);
      if (!doc) {
        result.nextPage = page;
        break;
      }
      for (; index < doc.events.length && result.events.length < limit; index++) {
        const event = doc.events[index];
        result.next = cursorOf(page, index);
        if (!types || types.has(event.type)) result.events.push(toLogged(company.slug, event, result.next));
      }
    }
    return result;
  }
}
