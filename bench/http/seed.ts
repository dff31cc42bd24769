import type { LocalHttp } from '../inbound/http';

/** Imports `count` prospects into a company through the API (10,000 rows per request at most), newest last. */
export async function seedProspects(http: LocalHttp, company: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += 10_000) {
    const rows = Array.from({ length: Math.min(10_000, count - start) }, (_, i) => {
      const n = start + i;
      return { number: `+52155${String(10_000_000 + n)}`, name: `Prospecto ${n}`, stage: n % 3 === 0 ? 'qualified' : 'new', tags: n % 5 === 0 ? ['expo'] : [] };
    });
    const answer = await http.send('POST', `/api/v1/companies/${company}/prospects/import`, { rows }, 600_000);
    const body = answer.body as { created?: number; updated?: number };
    if (answer.status !== 200 || (body.created ?? 0) + (body.updated ?? 0) !== rows.length) {
      throw new Error(`importing into ${company}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    }
  }
}
