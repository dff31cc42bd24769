export const PROVIDERS = ['whatsapp-web', 'baileys', 'twilio'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export const COMPANY_SLUG_PATTERN = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;

/** Per-company limits; unset fields fall back to the deployment defaults. */
export interface CompanyCaps {
  maxConcurrentOps?: number;
  opQueueSize?: number;
  opWaitTimeoutMs?: number;
  maxPoolSize?: number;
  /** Bytes of inbound media the company may keep (default MEDIA_QUOTA_BYTES). */
  mediaQuotaBytes?: number;
}

export interface CompanyRecord {
  slug: string;
  displayName: string;
  provider: ProviderName;
  dbName: string;
  /** Name of a dedicated cluster from TENANT_CLUSTER_URIS; absent means the shared cluster. */
  cluster?: string;
  caps: CompanyCaps;
  createdAt: Date;
  updatedAt: Date;
}

export function databaseNameFor(prefix: string, slug: string): string {
  return `${prefix}${slug.replace(/-/g, '_')}`;
}
