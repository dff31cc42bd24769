import { Injectable } from '@nestjs/common';
import { cursorOf, PAGE_CAPACITY } from './event-cursor';
import { EventLogReader } from './event-log.reader';
import { EventLog } from './event-log.service';
import type { CompanyRecord } from '../tenancy/company';

/**
 * The cursor of the last event in a company's log now: a new endpoint starts after it, so it receives what
 * happens from its registration on, not the log's history. Two reads by `_id`: the last page, then its events.
 */
@Injectable()
export class EventLogHead {
  constructor(
    private readonly log: EventLog,
    private readonly reader: EventLogReader,
  ) {}

  async of(company: CompanyRecord): Promise<number> {
    const last = await this.log.tipOf(company).latest();
    if (last < 1) return 0;
    try {
      return (await this.reader.read(company, { after: cursorOf(last, 0), limit: PAGE_CAPACITY })).next;
    } catch (error) {
      // Nothing kept yet above the retention floor: everything that comes is new.
      if ((error as { code?: string }).code === 'EVENT_CURSOR_EXPIRED') return 0;
      throw error;
    }
  }
}
