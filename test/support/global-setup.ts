import { EmbeddedFerretDb } from '../../src/core/database/embedded-ferretdb';
import { openAuditRun } from './query-audit/audit';

declare global {
  var __FERRETDB__: EmbeddedFerretDb | undefined;
}

/** One FerretDB for the whole run unless MONGODB_URI points at a server; each test file uses fresh databases. */
export default async function globalSetup(): Promise<void> {
  process.env.QUERY_AUDIT_DIR = openAuditRun();
  if (process.env.MONGODB_URI) return;
  const server = await EmbeddedFerretDb.startDisposable(process.env.FERRETDB_BIN ?? '.tools/bin/ferretdb');
  globalThis.__FERRETDB__ = server;
  process.env.MONGODB_URI = server.uri;
}
