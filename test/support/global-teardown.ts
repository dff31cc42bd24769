import { auditQueries } from './query-audit/audit';

/** The query audit runs last, while the server is still up; throwing here fails the Jest run. */
export default async function globalTeardown(): Promise<void> {
  try {
    if (process.env.QUERY_AUDIT_DIR) await auditQueries(process.env.QUERY_AUDIT_DIR, process.env.MONGODB_URI!);
  } finally {
    await globalThis.__FERRETDB__?.stop();
  }
}
