import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** A server under test in its own process, like the service, so the load generator never shares its thread. */
export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  /** Runs `node [nodeFlags] script port ...args` (pinned to `cpus` with taskset) and waits for its `ready` message. */
  static async start(script: string, port: number, options: { args?: string[]; nodeFlags?: string[]; cpus?: string } = {}): Promise<ServerProcess> {
    const command = [process.execPath, ...(options.nodeFlags ?? []), script, String(port), ...(options.args ?? [])];
    const [file, ...args] = options.cpus ? ['taskset', '-c', options.cpus, ...command] : command;
    const child = spawn(file, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((ready, fail) => {
      child.once('message', () => ready());
      child.once('exit', (code) => fail(new Error(`${script} exited (${code})`)));
    });
    return new ServerProcess(child, port);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** The bench's baseline: node:http answering a tiny JSON body (bare-server.ts). */
export const BareServer = {
  start: (port: number, cpus?: string): Promise<ServerProcess> => ServerProcess.start(resolve(__dirname, 'bare-server.js'), port, { cpus }),
};
