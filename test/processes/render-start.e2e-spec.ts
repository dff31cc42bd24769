import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildService, freePort, ServiceProcess } from '../support/service-process';
import { until } from '../support/until';

/** Live processes whose command line contains `marker`. */
function processesWith(marker: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe("render.yaml's start command (built service, embedded database)", () => {
  let dir: string;
  let dataDir: string;

  beforeAll(async () => {
    dir = await buildService('render');
    dataDir = mkdtempSync('/dev/shm/vv-render-');
  }, 120_000);

  afterAll(() => {
    for (const pid of processesWith(dataDir)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits on SIGTERM together with its embedded database, leaving nothing running', async () => {
    const command = /^\s*startCommand:\s*(.+)$/m.exec(readFileSync('render.yaml', 'utf8'))![1].trim();
    const [port, dbPort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      LOG_LEVEL: 'error',
      ADMIN_API_KEY: 'render-start-admin-key-0123456789abcdef',
      EMBEDDED_DB_DIR: dataDir,
      EMBEDDED_DB_PORT: String(dbPort),
      FERRETDB_BIN: resolve(process.env.FERRETDB_BIN ?? '.tools/bin/ferretdb'),
      SHUTDOWN_TIMEOUT_MS: '15000',
    };
    delete env.MONGODB_URI;
    // Render runs the start command through a shell, from the repository root (here: the build's root);
    // Debian's /bin/sh (dash) is the strictest, as it does not replace itself with the command unless told to.
    const service = new ServiceProcess({ file: '/bin/sh', args: ['-c', command], cwd: dir }, env, `http://127.0.0.1:${port}`);
    await service.start();
    // The shell's process became node itself (not a shell with node as its child), so SIGTERM reaches node.
    const argv = readFileSync(`/proc/${service.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(argv).toEqual(command.replace(/^exec\s+/, '').split(/\s+/));
    expect(argv.at(-1)).toBe('dist/src/main.js');
    expect(processesWith(dataDir)).toHaveLength(1);

    expect(await service.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    await until(() => processesWith(dataDir).length === 0, { what: 'the embedded database gone' });
    expect(processesWith(`${dir}/dist/src/main.js`)).toEqual([]);
  }, 120_000);
});
