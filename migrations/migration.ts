import type { mongo } from 'mongoose';

export interface MigrationContext {
  db: mongo.Db;
  tenantDbPrefix: string;
}

/** A versioned schema change. `name` starts with a zero-padded version and never changes once shipped. */
export interface Migration {
  name: string;
  up(context: MigrationContext): Promise<void>;
}
