import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DurableRetry } from '../core/database/durable-retry';
import type { TenantContext } from '../tenancy/tenant-context';
import { cursorOf, PAGE_CAPACITY } from './event-cursor';
import type { EventLogTip } from './event-log-tip';
import type { EventPageRepository, StoredEvent } from './event-page.repository';
import type { EventDraft, LoggedEvent } from './event-types';
import { toLogged, toStored } from './logged-event';

/** Events per page at most (well under the cursor's page capacity), and a size that keeps a page far below 16 MB. */
const MAX_EVENTS_PER_PAGE = 250;
const MAX_PAGE_CHARS = 4_000_000;

interface Waiting {
  events: StoredEvent[];
  chars: number;
  resolve(logged: LoggedEvent[]): void;
  reject(error: Error): void;
}

export interface CompanyEventAppenderDeps {
  company: string;
  tenant: TenantContext;
  pages: EventPageRepository;
  tip: EventLogTip;
  retry: DurableRetry;
  /** After each page is durable, with its events in log order and how long the write took. */
  appended(events: LoggedEvent[], seconds: number): void;
}

/**
 * Appends a company's events in this process: one page insert in flight, and whatever arrives meanwhile
 * goes into the next page (group commit). A page takes the number after the last one; when another
 * process took it first, the tip is found again and the page tries the next number. A retried insert that
 * had landed is recognised by its nonce, so no page is written twice.
 */
export class CompanyEventAppender {
  private readonly waiting: Waiting[] = [];
  private writing?: Promise<void>;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(private readonly deps: CompanyEventAppenderDeps) {
    if (MAX_EVENTS_PER_PAGE > PAGE_CAPACITY) throw new Error('a page cannot hold more events than its cursor range');
  }

  async append(drafts: EventDraft[]): Promise<LoggedEvent[]> {
    if (drafts.length === 0) return [];
    const chunks: Promise<LoggedEvent[]>[] = [];
    for (let start = 0; start < drafts.length; start += MAX_EVENTS_PER_PAGE) {
      const events = drafts.slice(start, start + MAX_EVENTS_PER_PAGE).map((draft) => toStored(this.deps.company, draft));
      chunks.push(new Promise((resolve, reject) => this.waiting.push({ events, chars: JSON.stringify(events).length, resolve, reject })));
    }
    this.kick();
    return (await Promise.all(chunks)).flat();
  }

  idle(): Promise<void> {
    if (!this.writing && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resume) => this.idleWaiters.push(resume));
  }

  private kick(): void {
    if (this.writing) return;
    if (this.waiting.length === 0) {
      for (const resume of this.idleWaiters.splice(0)) resume();
      return;
    }
    this.writing = this.writeNextPage().finally(() => {
      this.writing = undefined;
      this.kick();
    });
  }

  private async writeNextPage(): Promise<void> {
    const batch = this.takeBatch();
    const events = batch.flatMap((waiting) => waiting.events);
    let page: number;
    const started = performance.now();
    try {
      page = await this.deps.retry.execute(() => this.insertPage(events, randomUUID()));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error as Error);
      return;
    }
    const logged = events.map((event, index) => toLogged(this.deps.company, event, cursorOf(page, index)));
    let offset = 0;
    for (const waiting of batch) {
      waiting.resolve(logged.slice(offset, offset + waiting.events.length));
      offset += waiting.events.length;
    }
    this.deps.appended(logged, (performance.now() - started) / 1000);
  }

  private takeBatch(): Waiting[] {
    const batch = [this.waiting.shift()!];
    let count = batch[0].events.length;
    let chars = batch[0].chars;
    while (this.waiting.length > 0) {
      const next = this.waiting[0];
      if (count + next.events.length > MAX_EVENTS_PER_PAGE || chars + next.chars > MAX_PAGE_CHARS) break;
      batch.push(this.waiting.shift()!);
      count += next.events.length;
      chars += next.chars;
    }
    return batch;
  }

  private async insertPage(events: StoredEvent[], nonce: string): Promise<number> {
    const { pages, tenant, tip } = this.deps;
    for (;;) {
      const number = (await tip.current()) + 1;
      if (await pages.insert(tenant, { _id: number, at: new Date(), nonce, events })) {
        tip.wrote(number);
        return number;
      }
      const taken = await pages.get(tenant, number);
      if (!taken) continue;
      if (taken.nonce === nonce) {
        tip.wrote(number);
        return number;
      }
      await tip.refresh(number);
    }
  }
}
