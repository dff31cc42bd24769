import { IngestBudget } from './ingest-budget';

describe('IngestBudget', () => {
  it('takes room all or nothing, per company and in total', () => {
    const budget = new IngestBudget({ perCompany: 3, global: 5 });
    expect(budget.tryReserve('a', 2)).toBe(true);
    expect(budget.tryReserve('a', 2)).toBe(false);
    expect(budget.tryReserve('b', 3)).toBe(true);
    expect(budget.tryReserve('c', 1)).toBe(false);
    expect(budget.snapshot()).toEqual({ total: 5, waiting: 0, byCompany: { a: 2, b: 3 } });
  });

  it('admits one request larger than the per-company bound alone, so it cannot wait forever', () => {
    const budget = new IngestBudget({ perCompany: 3, global: 10 });
    expect(budget.tryReserve('a', 4)).toBe(true);
    expect(budget.tryReserve('a', 1)).toBe(false);
  });

  it('wakes waiting sources in order as room frees, without letting a full company hold back another', async () => {
    const budget = new IngestBudget({ perCompany: 1, global: 3 });
    budget.tryReserve('a', 1);
    const order: string[] = [];
    const a = budget.reserve('a', 1).then(() => order.push('a'));
    const b = budget.reserve('b', 1).then(() => order.push('b'));
    await b;
    expect(order).toEqual(['b']);
    expect(budget.tryReserve('a', 1)).toBe(false);
    budget.release('a', 1);
    await a;
    expect(order).toEqual(['b', 'a']);
    expect(budget.snapshot().byCompany).toEqual({ a: 1, b: 1 });
  });

  it('keeps the global bound for waiters of every company', async () => {
    const budget = new IngestBudget({ perCompany: 5, global: 2 });
    budget.tryReserve('a', 2);
    let woken = false;
    const waiting = budget.reserve('b', 1).then(() => (woken = true));
    await Promise.resolve();
    expect(woken).toBe(false);
    budget.release('a', 1);
    await waiting;
    expect(budget.snapshot().total).toBe(2);
  });
});
