import { companyRegistry } from './control/0001-company-registry';
import { sessionIndexes } from './control/0002-session-indexes';
import type { Migration } from './migration';
import { prospectsAndChats } from './tenant/0001-prospects-and-chats';
import { baileysAuth } from './tenant/0002-baileys-auth';
import { messages } from './tenant/0003-messages';
import { outbox } from './tenant/0004-outbox';
import { listingTiebreaksAndOutboxClaims } from './tenant/0005-listing-tiebreaks-and-outbox-claims';
import { ingestBookkeeping } from './tenant/0006-ingest-bookkeeping';
import { webhooks } from './tenant/0007-webhooks';
import { media } from './tenant/0008-media';
import { lidMappings } from './tenant/0009-lid-mappings';

/** Applied, in order, to the control database. */
export const controlMigrations: Migration[] = [companyRegistry, sessionIndexes];

/** Applied, in order, to every company database. */
export const tenantMigrations: Migration[] = [
  prospectsAndChats,
  baileysAuth,
  messages,
  outbox,
  listingTiebreaksAndOutboxClaims,
  ingestBookkeeping,
  webhooks,
  media,
  lidMappings,
];

export type { Migration, MigrationContext } from './migration';
