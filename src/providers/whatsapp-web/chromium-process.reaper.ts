import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 100;
const AFTER_KILL_MS = 1_000;

/**
 * Finds and ends the Chromium processes of one session. Every process of a browser tree carries its
 * `--user-data-dir` (checked on Debian's Chromium), which is unique per session here, so the tree is found
 * even when puppeteer lost its handle (a launch that failed half way, a process that crashed before stop).
 * Puppeteer starts the browser as a process-group leader, so the group is killed as well. Zombies have an
 * empty command line and count as gone; Chromium's crashpad handlers carry no marker and exit with the browser.
 */
export class ChromiumProcessReaper {
  constructor(private readonly graceMs = 2_000) {}

  /** Pids of live processes whose command line names this `--user-data-dir`. Empty where `/proc` is absent. */
  async find(userDataDir: string): Promise<number[]> {
    const marker = `--user-data-dir=${userDataDir}`;
    let entries: string[];
    try {
      entries = await readdir('/proc');
    } catch {
      return [];
    }
    const found: number[] = [];
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      const args = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
      if (args.split('\0').includes(marker)) found.push(Number(entry));
    }
    return found;
  }

  /** Total resident memory of the tree, in bytes (Linux only; 0 elsewhere). */
  async residentBytes(userDataDir: string): Promise<number> {
    let total = 0;
    for (const pid of await this.find(userDataDir)) {
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
      total += kb ? Number(kb) * 1024 : 0;
    }
    return total;
  }

  /**
   * Waits up to the grace period for the tree to exit on its own (after a browser close), then kills
   * what is left. Resolves with the pids that had to be killed. A grace of 0 kills at once (orphans).
   */
  async reap(userDataDir: string, options: { browserPid?: number; graceMs?: number } = {}): Promise<number[]> {
    const { browserPid, graceMs = this.graceMs } = options;
    const deadline = Date.now() + graceMs;
    let alive = await this.find(userDataDir);
    while (alive.length > 0 && Date.now() < deadline) {
      await sleep(POLL_MS);
      alive = await this.find(userDataDir);
    }
    if (alive.length === 0) return [];
    // Only a group whose leader carries our marker: a pid reused by an unrelated process is never touched.
    if (browserPid !== undefined && alive.includes(browserPid)) signal(-browserPid);
    for (const pid of alive) signal(pid);
    const killDeadline = Date.now() + AFTER_KILL_MS;
    while (Date.now() < killDeadline && (await this.find(userDataDir)).length > 0) await sleep(POLL_MS);
    return alive;
  }
}

function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
