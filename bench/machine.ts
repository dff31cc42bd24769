import { cpus } from 'node:os';

/** What every bench reports of the machine it ran on: Node's version, the CPU model and how many cores it has. */
export function machineFacts(): { node: string; cpu: string; cores: number } {
  return { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length };
}
