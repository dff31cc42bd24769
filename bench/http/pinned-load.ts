import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { cpuMicros } from '../inbound/proc';
import type { Measured } from './report';
import { runLoad, type LoadOptions } from './load';

const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** The HTTP benches' load settings, from BENCH_HTTP_* variables. */
export function httpBenchSettings(defaultSeconds: number) {
  return {
    rounds: number('BENCH_HTTP_ROUNDS', 3),
    seconds: number('BENCH_HTTP_SECONDS', defaultSeconds),
    warmupSeconds: number('BENCH_HTTP_WARMUP_SECONDS', 2),
    connections: number('BENCH_HTTP_CONNECTIONS', 16),
  };
}

/**
 * With two or more CPUs and taskset, the load generator (this process, every thread) takes CPU 0 and the servers
 * CPU 1: each side has its own core whatever the scheduler does, and every server is measured on the same one.
 */
export function pinGenerator(): { generator: string; servers: string } | undefined {
  if (cpus().length < 2 || process.env.BENCH_HTTP_PIN === 'false') return undefined;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    return { generator: '0', servers: '1' };
  } catch {
    return undefined;
  }
}

/** One target under load, with the serving process's CPU over the measured window. */
export async function measureTarget(pid: number, options: LoadOptions): Promise<Omit<Measured, 'round' | 'target'>> {
  const cpu = { start: 0, end: 0 };
  const figures = await runLoad({ ...options, onWindow: (edge) => (cpu[edge] = cpuMicros(pid) ?? 0) });
  const spent = cpu.end - cpu.start;
  return { ...figures, serverCpuMicrosPerRequest: figures.requests ? Math.round(spent / figures.requests) : 0 };
}
