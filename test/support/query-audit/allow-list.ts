/**
 * Query shapes the audit accepts without a covering index from migrations/. `shape` is as the audit
 * prints it (`describeShape`), or '*' for every shape on the collection. Keep each reason honest and short.
 */
export interface AllowedQuery {
  /** 'control' or 'tenant'; omitted: either. */
  db?: string;
  collection: string;
  shape: string;
  reason: string;
}

const GRIDFS =
  'GridFS, reached only through GridFSBucket, which creates {filename, uploadDate} and {files_id, n} itself on first upload; one zip per whatsapp-web session';

export const ALLOWED_QUERIES: AllowedQuery[] = [
  { collection: '_migrations', shape: '*', reason: 'umzug bookkeeping: one document per applied migration, read at boot' },
  {
    db: 'tenant',
    collection: 'outbox',
    shape: '{ providerMessageId: eq, status: eq }',
    reason: 'outbox_provider_id narrows to the one message with that provider id; status only guards the transition',
  },
  {
    db: 'tenant',
    collection: 'ingest_watermarks',
    shape: '{}',
    reason: 'one document per live process that stored messages for the company, read whole when deriving',
  },
  {
    db: 'tenant',
    collection: 'media_downloads',
    shape: '{}',
    reason: 'the sweep reads the pending media downloads whole: the collection holds only downloads in progress',
  },
  {
    db: 'tenant',
    collection: 'webhook_endpoints',
    shape: '{}',
    reason: "a company's webhook endpoints (20 at most), read whole by the dispatcher's lease cycle and the listing",
  },
  { db: 'tenant', collection: 'wwebjs_auth.files', shape: '*', reason: GRIDFS },
  { db: 'tenant', collection: 'wwebjs_auth.chunks', shape: '*', reason: GRIDFS },
];
