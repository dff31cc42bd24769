import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedFerretDb } from '../../src/core/database/embedded-ferretdb';

declare global {
  var __FERRETDB__: EmbeddedFerretDb | undefined;
}

/** One FerretDB for the whole run unless MONGODB_URI points at a server; each test file uses fresh databases. */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) return;
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const server = await EmbeddedFerretDb.start({
    binary: process.env.FERRETDB_BIN ?? '.tools/bin/ferretdb',
    dataDir: mkdtempSync(join(base, 'vv-test-')),
    port: await freePort(),
  });
  globalThis.__FERRETDB__ = server;
  process.env.MONGODB_URI = server.uri;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
