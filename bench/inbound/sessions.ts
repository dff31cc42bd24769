import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalHttp } from './http';

/** The four launch companies, created by the control migration at boot (slugs as migration 0001 writes them). */
export const COMPANIES = ['mitsubishi', 'diocsa', 'simple-green', 'quicklearning'] as const;

export interface Target {
  company: string;
  session: string;
}

/** `perCompany` sessions in each launch company, interleaved so that consecutive indices change company. */
export function benchTargets(perCompany: number): Target[] {
  return Array.from({ length: perCompany * COMPANIES.length }, (_, i) => ({
    company: COMPANIES[i % COMPANIES.length],
    session: `in-${Math.floor(i / COMPANIES.length)}`,
  }));
}

/** Creates, starts and links (simulated QR scan) every session through the REST API, as an admin would. */
export async function createSessions(http: LocalHttp, targets: Target[]): Promise<void> {
  for (const { company, session } of targets) {
    const created = await http.send('POST', `/api/v1/companies/${company}/sessions`, { name: session });
    if (created.status !== 201) throw new Error(`creating ${company}/${session} answered ${created.status}: ${JSON.stringify(created.body)}`);
  }
  await ensureWorking(http, targets);
}

/**
 * Waits until every session is WORKING, nudging each along: starts a stopped one and scans a QR when one is shown
 * (a restarted service resumes linked sessions by itself; a new one needs both).
 */
export async function ensureWorking(http: LocalHttp, targets: Target[], timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const nudged = new Map<string, string>();
  for (;;) {
    const statuses = await Promise.all(targets.map(async (t) => ({ t, status: await statusOf(http, t) })));
    const waiting = statuses.filter(({ status }) => status !== 'WORKING');
    if (waiting.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`sessions not WORKING after ${timeoutMs / 1000} s: ${waiting.map(({ t, status }) => `${t.company}/${t.session}=${status}`).join(', ')}`);
    for (const { t, status } of waiting) {
      const key = `${t.company}/${t.session}`;
      if (nudged.get(key) === status) continue;
      const base = `/companies/${t.company}/sessions/${t.session}`;
      if (status === 'STOPPED' || status === 'FAILED' || status === 'SUSPENDED') await expect(http.send('POST', `/api/v1${base}/start`), [202], key);
      if (status === 'SCAN_QR') await expect(http.send('POST', `/simulator${base}/scan`), [204], key);
      nudged.set(key, status);
    }
    await sleep(100);
  }
}

async function statusOf(http: LocalHttp, { company, session }: Target): Promise<string> {
  const answer = await http.send('GET', `/api/v1/companies/${company}/sessions/${session}`);
  if (answer.status !== 200) throw new Error(`reading ${company}/${session} answered ${answer.status}`);
  return (answer.body as { status: string }).status;
}

async function expect(answer: ReturnType<LocalHttp['send']>, statuses: number[], what: string): Promise<void> {
  const { status, body } = await answer;
  if (!statuses.includes(status)) throw new Error(`${what}: answered ${status}: ${JSON.stringify(body)}`);
}
