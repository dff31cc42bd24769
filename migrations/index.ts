import { companyRegistry } from './control/0001-company-registry';
import type { Migration } from './migration';
import { prospectsAndChats } from './tenant/0001-prospects-and-chats';

/** Applied, in order, to the control database. */
export const controlMigrations: Migration[] = [companyRegistry];

/** Applied, in order, to every company database. */
export const tenantMigrations: Migration[] = [prospectsAndChats];

export type { Migration, MigrationContext } from './migration';
