import { Logger } from '@nestjs/common';
import { positionOf } from '../../events/event-cursor';
import type { EventLogReader } from '../../events/event-log.reader';
import type { LoggedEvent } from '../../events/event-types';
import type { CompanyRecord } from '../../tenancy/company';
import type { WebhooksConfig } from '../webhooks.config';
import type { ActiveEndpoint } from './active-endpoint';
import type { DeliveryWindow } from './delivery-window';

/** Events asked for in one read at most. */
const READ_PAGE = 500;
/** Reads of one endpoint start at least this far apart, unless it is catching up with a backlog. */
const MIN_READ_GAP_MS = 100;
const EXPIRED_CURSOR = 'EVENT_CURSOR_EXPIRED';

/**
 * Fills one endpoint's delivery window from the company's log, in log order: by reading after the window's cursor
 * (when woken, when behind, or every poll interval for what other processes append), or by taking a page this
 * process just appended when it is the very page that follows what was read: at the steady state, nothing is
 * read back from the database.
 */
export class EndpointFeed {
  private readonly logger = new Logger(EndpointFeed.name);
  private readWanted = true;
  /** The last read filled its page: more is waiting in the log. */
  private behind = false;
  private readFromOldest = false;
  /** The last read reached the end of the log, and every page appended since has been taken: the page that comes next. */
  private expectedPage?: number;
  private lastReadAt = 0;

  constructor(
    private readonly company: CompanyRecord,
    private readonly window: DeliveryWindow,
    private readonly reader: EventLogReader,
    private readonly config: Pick<WebhooksConfig, 'windowEvents' | 'pollIntervalMs'>,
    private readonly endpoint: () => ActiveEndpoint,
  ) {}

  /** New events may be in the log. */
  wantRead(): void {
    this.expectedPage = undefined;
    this.readWanted = true;
  }

  /** A page this process just appended: taken when it follows what was read and fits, else left to a read. */
  offer(page: readonly LoggedEvent[], now: number): void {
    const last = page.at(-1);
    const number = last === undefined ? undefined : positionOf(last.cursor).page;
    if (number === undefined || number !== this.expectedPage || this.readWanted || this.window.room < page.length) {
      this.wantRead();
      return;
    }
    const { types, wants } = this.endpoint();
    this.window.add(types ? page.filter((event) => types.has(event.type)) : page, last!.cursor, wants, now);
    this.expectedPage = number + 1;
  }

  /** Reads when one is due (wanted, behind, or the poll interval passed) and the window has room. */
  async read(now: number): Promise<void> {
    if (!this.readWanted && now - this.lastReadAt < this.config.pollIntervalMs) return;
    if (!this.wantsEvents || now - this.lastReadAt < this.minReadGap) return;
    this.readWanted = false;
    this.lastReadAt = now;
    const limit = Math.min(READ_PAGE, this.window.room);
    const endpoint = this.endpoint();
    try {
      const after = this.readFromOldest ? 0 : this.window.readCursor;
      const page = await this.reader.read(this.company, { after, types: endpoint.types, limit });
      this.readFromOldest = false;
      this.window.add(page.events, page.next, endpoint.wants, now);
      // A page offered while this read was in flight may already have moved the expectation past the read's end.
      this.expectedPage = page.nextPage === undefined ? undefined : Math.max(page.nextPage, this.expectedPage ?? 0);
      this.behind = page.events.length >= limit;
      if (this.behind) this.readWanted = true;
    } catch (error) {
      const context = { company: this.company.slug, endpoint: endpoint.id, err: (error as Error).message };
      if ((error as { code?: string }).code === EXPIRED_CURSOR) {
        // The endpoint fell behind the log's retention: what was dropped cannot be delivered any more.
        this.logger.error({ ...context, after: this.window.readCursor }, 'webhook events lost to the log retention; delivery resumes at the oldest event kept');
        this.readFromOldest = true;
        this.readWanted = true;
        return;
      }
      this.logger.warn(context, 'event log read failed; retried at the next poll');
    }
  }

  /** When the next read falls due without a wake-up; undefined while the window is too full to read. */
  nextReadAt(): number | undefined {
    if (!this.wantsEvents) return undefined;
    return this.lastReadAt + (this.readWanted ? this.minReadGap : this.config.pollIntervalMs);
  }

  /**
   * Reads refill the window once it is down to half (a low-water mark): while a backlog drains, a few large
   * reads instead of one small read per delivery, each of which costs the log's page reads.
   */
  private get wantsEvents(): boolean {
    return this.window.size <= this.config.windowEvents / 2;
  }

  /** Appends wake the dispatcher many times a second under load: one read per gap gathers them, unless catching up. */
  private get minReadGap(): number {
    return this.behind ? 0 : MIN_READ_GAP_MS;
  }
}
