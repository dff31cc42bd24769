import request from 'supertest';
import type { ServiceProcess } from './service-process';

/**
 * Polls each running process's `/internal/sessions` and keeps every live client it reported as an interval
 * [since, last seen] on the machine's one clock, so that two owners of one session at once can be caught.
 */
export class OwnershipSampler {
  private readonly intervals = new Map<string, { owner: string; session: string; since: number; seen: number }>();
  private stopped = false;
  private loop?: Promise<void>;
  samples = 0;

  constructor(
    private readonly processes: () => ServiceProcess[],
    private readonly adminKey: string,
  ) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        await Promise.all(
          this.processes()
            .filter((p) => p.running)
            .map(async (p) => {
              const response = await request(p.url)
                .get('/internal/sessions')
                .set('X-API-Key', this.adminKey)
                .catch(() => undefined);
              if (response?.status !== 200) return;
              const { owner, at, simulatorClients } = response.body as {
                owner: string;
                at: number;
                simulatorClients: Array<{ session: string; since: number }>;
              };
              for (const { session, since } of simulatorClients) {
                const key = `${owner}|${session}|${since}`;
                const known = this.intervals.get(key);
                if (known) known.seen = Math.max(known.seen, at);
                else this.intervals.set(key, { owner, session, since, seen: at });
              }
              this.samples++;
            }),
        );
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** Pairs of clients of one session, in two processes, that were both live at some instant. */
  overlaps(): string[] {
    const all = [...this.intervals.values()];
    const found: string[] = [];
    for (const a of all) {
      for (const b of all) {
        if (a.owner < b.owner && a.session === b.session && Math.max(a.since, b.since) <= Math.min(a.seen, b.seen))
          found.push(`${a.session}: ${a.owner} and ${b.owner}`);
      }
    }
    return found;
  }

  sessionsSeenIn(owner: string): Set<string> {
    return new Set([...this.intervals.values()].filter((i) => i.owner === owner).map((i) => i.session));
  }
}
