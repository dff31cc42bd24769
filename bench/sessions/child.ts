import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import type { ChildMessage, RunOptions, RunResult } from './protocol';

const RUN_SCRIPT = resolve(__dirname, 'run.js');

/**
 * Runs `bench/sessions/run.ts` in a fresh `node --expose-gc --no-flush-bytecode` and returns what it measured;
 * `signal` kills it (when another run failed).
 */
export function runInChild(options: RunOptions, signal?: AbortSignal): Promise<RunResult> {
  return new Promise((done, fail) => {
    const child = fork(RUN_SCRIPT, [], {
      execArgv: ['--expose-gc', '--no-flush-bytecode'],
      env: { ...process.env, BENCH_SESSIONS_RUN: JSON.stringify(options) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      signal,
    });
    let result: RunResult | undefined;
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'progress') console.log(`  [${options.label}] ${message.text}`);
      else result = message.result;
    });
    child.once('error', (error) => (error.name === 'AbortError' ? undefined : fail(error)));
    child.once('exit', (code, signal) => {
      if (code === 0 && result) done(result);
      else fail(new Error(`run ${options.label} exited with ${signal ?? code} ${result ? '' : 'before reporting a result'}`));
    });
  });
}
