import type { TenantContext } from '../tenancy/tenant-context';
import type { EventPageRepository } from './event-page.repository';

/**
 * The last page of a company's log, found with cheap reads by `_id` only: pages are numbered without
 * gaps from the retention floor, so a galloping probe then a binary search find the end in O(log n).
 */
export class EventLogTip {
  private known?: number;

  constructor(
    private readonly pages: EventPageRepository,
    private readonly tenant: TenantContext,
  ) {}

  /** The last page known to exist (floor − 1 when the log is empty); may lag behind other writers. */
  async current(): Promise<number> {
    if (this.known !== undefined) return this.known;
    const floor = await this.pages.floor(this.tenant);
    this.known = (await this.pages.exists(this.tenant, floor)) ? await this.probeFrom(floor) : floor - 1;
    return this.known;
  }

  wrote(page: number): void {
    this.known = Math.max(this.known ?? page, page);
  }

  /** After finding page `taken` written by someone else: looks further (never past a page that does not exist). */
  async refresh(taken: number): Promise<number> {
    if (!(await this.pages.exists(this.tenant, taken))) return this.current();
    this.known = Math.max(this.known ?? taken, await this.probeFrom(taken));
    return this.known;
  }

  /** The last page that exists now, as far as other writers are concerned too. */
  async latest(): Promise<number> {
    return this.refresh(await this.current());
  }

  private async probeFrom(existing: number): Promise<number> {
    let low = existing;
    let step = 1;
    while (await this.pages.exists(this.tenant, low + step)) {
      low += step;
      step *= 2;
    }
    let high = low + step;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (await this.pages.exists(this.tenant, middle)) low = middle;
      else high = middle;
    }
    return low;
  }
}
