import { companyRegistry } from './control/0001-company-registry';
import type { Migration } from './migration';
import { prospectsAndChats } from './tenant/0001-prospects-and-chats';
import { baileysAuth } from './tenant/0002-baileys-auth';
import { messages } from './tenant/0003-messages';
import { outbox } from './tenant/0004-outbox';

/** Applied, in order, to the control database. */
export const controlMigrations: Migration[] = [companyRegistry];

/** Applied, in order, to every company database. */
export const tenantMigrations: Migration[] = [prospectsAndChats, baileysAuth, messages, outbox];

export type { Migration, MigrationContext } from './migration';
