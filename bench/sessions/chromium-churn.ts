import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Part 2 of bench:sessions: real whatsapp-web clients (Debian Chromium) churning through the real
 * session manager under its whatsapp-web cap. web.whatsapp.com is mapped to a local server that
 * never answers, so each client keeps a live Chromium tree while it is STARTING — the state in which
 * the manager must still count it against the cap. Runs in its own process (see runChromiumChurn).
 */

export interface ChromiumChurnResult {
  sessions: number;
  cap: number;
  chromiumPeak: number;
  chromiumAfter: number;
  chromiumMBPerClient: number;
  chromiumRssMBPerClient: number;
  refusedStarts: number;
  /** Trees still running right after stop() returned for every admitted session: stop must wait for them. */
  treesAliveAfterStop: number;
  samples: number;
  seconds: number;
}

const MARKER = 'virtual-voices/whatsapp-web';

interface ChromiumProcess {
  pid: number;
  /** The profile directory: one per client, so one per Chromium tree, even while a closing tree's children outlive its root. */
  profile: string;
}

const PROFILE = /--user-data-dir=([^\0 ]+)/;

function ourChromium(): ChromiumProcess[] {
  const found: ChromiumProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const profile = PROFILE.exec(cmdline)?.[1];
      if (cmdline.includes('chrom') && profile?.includes(MARKER)) found.push({ pid: Number(entry), profile });
    } catch {
      // exited while we looked
    }
  }
  return found;
}

function treeCount(processes: ChromiumProcess[] = ourChromium()): number {
  return new Set(processes.map((p) => p.profile)).size;
}

/** Proportional set size (shared pages split between sharers) and plain RSS, in MB. */
function memoryOf(pids: number[]): { pssMB: number; rssMB: number } {
  let pss = 0;
  let rss = 0;
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      pss += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
      rss += Number(/^Rss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // exited while we looked
    }
  }
  return { pssMB: pss / 1024, rssMB: rss / 1024 };
}

export async function stallServer(): Promise<{ server: Server; port: number }> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

export async function measureChurn(sessions: number, cap: number, holdMs: number): Promise<ChromiumChurnResult> {
  // Loaded here, after the caller has set the environment the app is configured from.
  const { NestFactory } = require('@nestjs/core') as typeof import('@nestjs/core');
  const { AppModule } = require('../../src/app.module') as typeof import('../../src/app.module');
  const { SessionManager } = require('../../src/sessions/session-manager.service') as typeof import('../../src/sessions/session-manager.service');
  const { SessionsService } = require('../../src/sessions/sessions.service') as typeof import('../../src/sessions/sessions.service');
  const { CompaniesService } = require('../../src/tenancy/companies.service') as typeof import('../../src/tenancy/companies.service');
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const manager = app.get(SessionManager);
  const companies = ['mitsubishi', 'diocsa', 'simple-green'];
  const names = Array.from({ length: sessions }, (_, i) => ({ company: companies[i % companies.length], name: `churn-${i}` }));
  for (const { company, name } of names) await app.get(SessionsService).create(await app.get(CompaniesService).get(company), name);

  let peak = 0;
  let samples = 0;
  const perClient: number[] = [];
  const perClientRss: number[] = [];
  const sampler = setInterval(() => {
    peak = Math.max(peak, treeCount());
    samples++;
  }, 50);

  const started = Date.now();
  let refused = 0;
  let aliveAfterStop = 0;
  const pending = [...names];
  while (pending.length > 0) {
    const attempts = await Promise.allSettled(pending.map(async (s) => manager.start(await app.get(CompaniesService).get(s.company), s.name)));
    const admitted = pending.filter((_, i) => attempts[i].status === 'fulfilled');
    refused += attempts.filter((a) => a.status === 'rejected').length;
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    const processes = ourChromium();
    const roots = treeCount(processes);
    if (roots > 0) {
      const memory = memoryOf(processes.map((p) => p.pid));
      perClient.push(memory.pssMB / roots);
      perClientRss.push(memory.rssMB / roots);
    }
    for (const s of admitted) await manager.stop(await app.get(CompaniesService).get(s.company), s.name);
    aliveAfterStop = Math.max(aliveAfterStop, treeCount());
    for (const s of admitted) pending.splice(pending.indexOf(s), 1);
  }
  await app.close();
  const deadline = Date.now() + 10_000;
  while (ourChromium().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  clearInterval(sampler);
  const average = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
  return {
    sessions,
    cap,
    chromiumPeak: peak,
    chromiumAfter: treeCount(),
    chromiumMBPerClient: Math.round(average(perClient)),
    chromiumRssMBPerClient: Math.round(average(perClientRss)),
    refusedStarts: refused,
    treesAliveAfterStop: aliveAfterStop,
    samples,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}
