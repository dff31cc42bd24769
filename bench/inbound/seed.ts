import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalHttp } from './http';
import type { Target } from './sessions';
import type { Workload } from './workload';

export interface FeedOptions {
  total: number;
  batch: number;
  concurrency: number;
  timeoutMs: number;
  onProgress?: (sent: number) => void;
}

/**
 * Closed-loop delivery through the same inbound endpoint (the seed of stored messages, the warm-up):
 * `concurrency` requests of `batch` messages in flight, round-robin over the sessions, each redelivered
 * after Retry-After when refused, until every message was acknowledged or the time bound passes.
 */
export async function feed(http: LocalHttp, targets: Target[], workload: Workload, options: FeedOptions): Promise<{ stored: number; refusals: number }> {
  const deadline = Date.now() + options.timeoutMs;
  let issued = 0;
  let stored = 0;
  let refusals = 0;
  let request = 0;
  let lastReport = 0;
  const worker = async () => {
    while (issued < options.total) {
      const size = Math.min(options.batch, options.total - issued);
      issued += size;
      const index = request++ % targets.length;
      const { company, session } = targets[index];
      const messages = workload.take(index, size);
      for (;;) {
        if (Date.now() > deadline) throw new Error(`feeding ${options.total} messages took longer than ${options.timeoutMs / 1000} s (${stored} stored)`);
        const answer = await http.send('POST', `/simulator/companies/${company}/sessions/${session}/inbound`, { messages }, 120_000);
        if (answer.status === 503) {
          refusals++;
          await sleep(Math.max(0, Number(answer.headers['retry-after'] ?? 1) || 1) * 1000);
          continue;
        }
        if (answer.status < 200 || answer.status >= 300)
          throw new Error(`feeding ${company}/${session}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
        const results = (answer.body as { results?: Array<{ result: string }> }).results;
        stored += results ? results.filter((r) => r.result === 'stored' || r.result === 'duplicate').length : size;
        break;
      }
      if (options.onProgress && stored - lastReport >= 10_000) {
        lastReport = stored;
        options.onProgress(stored);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { stored, refusals };
}
