import type { Connection } from 'mongoose';
import type { CompanyRecord } from './company';

export type TenantOperation<T> = (db: Connection) => Promise<T>;

/**
 * A company's handle on its own database. Repositories take one of these on every call, so a
 * query cannot be written without naming its tenant, and every operation passes the company's cap.
 */
export interface TenantContext {
  readonly company: CompanyRecord;
  run<T>(operation: TenantOperation<T>): Promise<T>;
}
