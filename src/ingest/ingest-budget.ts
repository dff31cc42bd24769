interface Waiter {
  company: string;
  count: number;
  resume: () => void;
}

export interface BudgetLimits {
  perCompany: number;
  global: number;
}

/**
 * How many inbound messages may wait in memory for their durable write: per company, so one slow
 * tenant backs up alone, and in total, so many slow tenants cannot exhaust the process. Sources that
 * can wait are woken first come, first served as room frees; sources that must answer now are refused.
 */
export class IngestBudget {
  private readonly used = new Map<string, number>();
  private total = 0;
  private readonly waiters: Waiter[] = [];

  constructor(readonly limits: BudgetLimits) {}

  /** Takes room for `count` messages now, all or nothing; never overtakes a source of the same company already waiting. */
  tryReserve(company: string, count: number): boolean {
    if (this.waiters.some((waiter) => waiter.company === company) || !this.fits(company, count)) return false;
    this.take(company, count);
    return true;
  }

  /** Waits for room for `count` messages, in arrival order. */
  async reserve(company: string, count: number): Promise<void> {
    if (this.tryReserve(company, count)) return;
    await new Promise<void>((resume) => this.waiters.push({ company, count, resume }));
  }

  release(company: string, count: number): void {
    const left = (this.used.get(company) ?? 0) - count;
    if (left > 0) this.used.set(company, left);
    else this.used.delete(company);
    this.total -= count;
    this.wake();
  }

  usage(company: string): number {
    return this.used.get(company) ?? 0;
  }

  snapshot(): { total: number; waiting: number; byCompany: Record<string, number> } {
    return { total: this.total, waiting: this.waiters.length, byCompany: Object.fromEntries(this.used) };
  }

  /** A waiter whose own company is full does not hold back the others; the global bound is kept in order. */
  private wake(): void {
    for (let index = 0; index < this.waiters.length;) {
      const waiter = this.waiters[index];
      if (this.total + waiter.count > this.limits.global) return;
      if (!this.fits(waiter.company, waiter.count)) {
        index++;
        continue;
      }
      this.waiters.splice(index, 1);
      this.take(waiter.company, waiter.count);
      waiter.resume();
    }
  }

  private fits(company: string, count: number): boolean {
    const companyLimit = Math.max(this.limits.perCompany, count);
    const globalLimit = Math.max(this.limits.global, count);
    return this.usage(company) + count <= companyLimit && this.total + count <= globalLimit;
  }

  private take(company: string, count: number): void {
    this.used.set(company, this.usage(company) + count);
    this.total += count;
  }
}
