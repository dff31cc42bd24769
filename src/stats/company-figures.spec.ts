import type { OutboundService } from '../messaging/outbound.service';
import type { SessionRecord, SessionsRepository } from '../sessions/sessions.repository';
import type { CompanyRecord } from '../tenancy/company';
import type { CompaniesService } from '../tenancy/companies.service';
import { CompanyFigures } from './company-figures';

const company = { slug: 'acme', provider: 'baileys' } as CompanyRecord;
const session = (name: string, status: SessionRecord['status'], provider = 'baileys') =>
  ({ company: 'acme', name, provider, status, desired: 'running', owner: 'p1', leaseExpiresAt: new Date(Date.now() + 60_000) }) as SessionRecord;

function figuresWith(cacheMs: number, outbox: () => Promise<number | null>) {
  const listByCompany = jest.fn(async () => [session('a', 'WORKING'), session('b', 'SCAN_QR'), session('c', 'STOPPED', 'simulator')]);
  const queueDepth = jest.fn(outbox);
  const list = jest.fn(async (): Promise<CompanyRecord[]> => [company]);
  const figures = new CompanyFigures(
    { list } as unknown as CompaniesService,
    { listByCompany } as unknown as SessionsRepository,
    { queueDepth } as unknown as OutboundService,
    { cacheMs, sampleIntervalMs: 15_000 },
  );
  return { figures, listByCompany, queueDepth, list };
}

describe('CompanyFigures', () => {
  it('counts sessions by effective status, overall and per provider', async () => {
    const { figures } = figuresWith(5_000, async () => 7);
    const read = await figures.read(company);
    expect(read.sessions).toEqual({
      total: 3,
      byStatus: { WORKING: 1, SCAN_QR: 1, STOPPED: 1 },
      byProvider: { baileys: { total: 2, byStatus: { WORKING: 1, SCAN_QR: 1 } }, simulator: { total: 1, byStatus: { STOPPED: 1 } } },
    });
    expect(read.outbox).toBe(7);
  });

  it('reads the database once per cache period however many callers ask, and again after it', async () => {
    const { figures, listByCompany, queueDepth } = figuresWith(5_000, async () => 1);
    const now = Date.now();
    await Promise.all([figures.read(company, undefined, now), figures.read(company, undefined, now + 10), figures.read(company, undefined, now + 4_999)]);
    expect(listByCompany).toHaveBeenCalledTimes(1);
    expect(queueDepth).toHaveBeenCalledTimes(1);
    await figures.read(company, undefined, now + 5_000);
    expect(queueDepth).toHaveBeenCalledTimes(2);
    await figures.read(company, 60_000, now + 30_000);
    expect(queueDepth).toHaveBeenCalledTimes(2);
  });

  it('reports a figure it cannot read as null, keeps the last figures read for scrapes, and forgets removed companies', async () => {
    const { figures, list } = figuresWith(0, async () => {
      throw new Error('database down');
    });
    expect((await figures.read(company)).outbox).toBeNull();
    expect(figures.lastRead().get('acme')?.sessions?.total).toBe(3);
    list.mockResolvedValueOnce([]);
    await figures.listCompanies();
    expect(figures.lastRead().has('acme')).toBe(false);
  });
});
