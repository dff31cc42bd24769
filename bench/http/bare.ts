import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** The bare node:http server in its own process, like the service, so the load generator never shares its thread. */
export class BareServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  static async start(port: number, cpus?: string): Promise<BareServer> {
    const command = [process.execPath, resolve(__dirname, 'bare-server.js'), String(port)];
    const [file, ...args] = cpus ? ['taskset', '-c', cpus, ...command] : command;
    const child = spawn(file, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((ready, fail) => {
      child.once('message', () => ready());
      child.once('exit', (code) => fail(new Error(`the bare server exited (${code})`)));
    });
    return new BareServer(child, port);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill('SIGTERM');
    await exited;
  }
}
