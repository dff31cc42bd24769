import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnvironment } from './environment.schema';

const env = () => validateEnvironment(process.env);

export const appConfig = registerAs('app', () => {
  const e = env();
  return { nodeEnv: e.NODE_ENV, port: e.PORT, logLevel: e.LOG_LEVEL, migrateOnBoot: e.MIGRATE_ON_BOOT, shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS };
});

export const databaseConfig = registerAs('database', () => {
  const e = env();
  return {
    uri: e.MONGODB_URI,
    controlDbName: e.CONTROL_DB_NAME,
    monitorCommands: e.MONGODB_MONITOR_COMMANDS,
    embedded: { dir: e.EMBEDDED_DB_DIR, port: e.EMBEDDED_DB_PORT, binary: e.FERRETDB_BIN },
    pool: {
      maxPoolSize: e.MONGO_MAX_POOL_SIZE,
      minPoolSize: e.MONGO_MIN_POOL_SIZE,
      maxIdleTimeMS: e.MONGO_MAX_IDLE_TIME_MS,
      heartbeatFrequencyMS: e.MONGO_HEARTBEAT_FREQUENCY_MS,
      serverSelectionTimeoutMS: e.MONGO_SERVER_SELECTION_TIMEOUT_MS,
      socketTimeoutMS: e.MONGO_SOCKET_TIMEOUT_MS,
      connectTimeoutMS: e.MONGO_CONNECT_TIMEOUT_MS,
    },
  };
});

export const tenancyConfig = registerAs('tenancy', () => {
  const e = env();
  return {
    maxConcurrentOps: e.TENANT_MAX_CONCURRENT_OPS,
    opQueueSize: e.TENANT_OP_QUEUE_SIZE,
    opWaitTimeoutMs: e.TENANT_OP_WAIT_TIMEOUT_MS,
    dedicatedMaxPoolSize: e.TENANT_DEDICATED_MAX_POOL_SIZE,
    dedicatedIdleCloseMs: e.TENANT_DEDICATED_IDLE_CLOSE_MS,
    dbPrefix: e.TENANT_DB_PREFIX,
    clusters: namedClusters(e.TENANT_CLUSTER_URIS, e.QUICKLEARNING_MONGODB_URI),
  };
});

function namedClusters(json: string | undefined, quicklearningUri: string | undefined): Record<string, string> {
  const clusters: Record<string, string> = json ? (JSON.parse(json) as Record<string, string>) : {};
  for (const [name, uri] of Object.entries(clusters)) {
    if (typeof uri !== 'string' || !/^mongodb(\+srv)?:\/\//.test(uri)) {
      throw new Error(`TENANT_CLUSTER_URIS: cluster "${name}" must map to a mongodb:// URI`);
    }
  }
  if (quicklearningUri) clusters.quicklearning = quicklearningUri;
  return clusters;
}

export const authConfig = registerAs('auth', () => {
  const e = env();
  return {
    adminApiKey: e.ADMIN_API_KEY,
    requestsPerMinute: e.RATE_LIMIT_PER_MINUTE,
    authFailuresPer5Minutes: e.AUTH_FAILURES_PER_5_MINUTES,
  };
});

export const ingestConfig = registerAs('ingest', () => {
  const e = env();
  return {
    batchSize: e.PROSPECT_BATCH_SIZE,
    batchIntervalMs: e.PROSPECT_BATCH_INTERVAL_MS,
    bufferLimit: e.PROSPECT_BUFFER_LIMIT,
    writeRetries: e.PROSPECT_WRITE_RETRIES,
    idCacheSize: e.PROSPECT_ID_CACHE_SIZE,
    importMaxRows: e.PROSPECT_IMPORT_MAX_ROWS,
    defaultPhoneRegion: e.DEFAULT_PHONE_REGION,
    inbound: {
      bufferPerCompany: e.INGEST_BUFFER_PER_COMPANY,
      bufferGlobal: e.INGEST_BUFFER_GLOBAL,
      maxBatch: e.INGEST_MAX_BATCH,
      ackTimeoutMs: e.INGEST_ACK_TIMEOUT_MS,
      retryMaxDelayMs: e.INGEST_RETRY_MAX_DELAY_MS,
      deriveWindowMs: e.INGEST_DERIVE_WINDOW_MS,
      watermarkHeartbeatMs: e.INGEST_WATERMARK_HEARTBEAT_MS,
      shutdownDrainMs: e.INGEST_SHUTDOWN_DRAIN_MS,
    },
  };
});

export const healthConfig = registerAs('health', () => {
  const e = env();
  return {
    memoryLimitBytes: e.MEMORY_LIMIT_MB * 1024 * 1024,
    warningRatio: e.MEMORY_WARNING_RATIO,
    highRatio: e.MEMORY_HIGH_RATIO,
    criticalRatio: e.MEMORY_CRITICAL_RATIO,
    dbPingTimeoutMs: e.HEALTH_DB_PING_TIMEOUT_MS,
  };
});

export interface TwilioAccount {
  accountSid: string;
  authToken: string;
  /** Sender, e.g. `whatsapp:+14155238886`. */
  from: string;
}

export const providersConfig = registerAs('providers', () => {
  const e = env();
  return {
    publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`,
    twilioAccounts: (e.TWILIO_ACCOUNTS ? JSON.parse(e.TWILIO_ACCOUNTS) : {}) as Record<string, TwilioAccount>,
    twilioApiBaseUrl: e.TWILIO_API_BASE_URL,
    baileysWebSocketUrl: e.BAILEYS_WS_URL,
    baileysLookupsPerMinute: e.BAILEYS_LOOKUPS_PER_MINUTE,
    media: { maxBytes: e.OUTBOUND_MEDIA_MAX_BYTES, timeoutMs: e.OUTBOUND_MEDIA_TIMEOUT_MS, allowPrivate: e.OUTBOUND_MEDIA_ALLOW_PRIVATE },
    chromium: { path: e.CHROMIUM_PATH, hostResolverRules: e.CHROMIUM_HOST_RESOLVER_RULES },
    whatsappWeb: {
      historyImport: e.WWEBJS_HISTORY_IMPORT,
      historyMaxChats: e.WWEBJS_HISTORY_MAX_CHATS,
      historyMaxMessagesPerChat: e.WWEBJS_HISTORY_MAX_MESSAGES_PER_CHAT,
      authBackupIntervalMs: e.WWEBJS_AUTH_BACKUP_INTERVAL_MS,
    },
  };
});

export const sessionsConfig = registerAs('sessions', () => {
  const e = env();
  return {
    maxActive: e.SESSIONS_MAX_ACTIVE,
    maxWhatsappWeb: e.SESSIONS_MAX_WHATSAPP_WEB,
    maxPerCompany: e.SESSIONS_MAX_PER_COMPANY,
    idleTimeoutMs: e.SESSION_IDLE_TIMEOUT_MS,
    maxLifetimeMs: e.SESSION_MAX_LIFETIME_MS,
    reconnect: { maxAttempts: e.SESSION_RECONNECT_MAX_ATTEMPTS, baseMs: e.SESSION_RECONNECT_BASE_MS, maxMs: e.SESSION_RECONNECT_MAX_MS },
    startConcurrency: e.SESSION_START_CONCURRENCY,
    providerOverride: e.SESSIONS_PROVIDER_OVERRIDE,
    ownerId: e.SESSION_OWNER_ID ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    lease: { ttlMs: e.SESSION_LEASE_TTL_MS, renewMs: e.SESSION_LEASE_RENEW_MS, claimIntervalMs: e.SESSION_CLAIM_INTERVAL_MS },
  };
});

export const messagingConfig = registerAs('messaging', () => {
  const e = env();
  return {
    maxAttempts: e.OUTBOUND_MAX_ATTEMPTS,
    retryBaseMs: e.OUTBOUND_RETRY_BASE_MS,
    sendTimeoutMs: e.OUTBOUND_SEND_TIMEOUT_MS,
    ratePerMinute: e.OUTBOUND_RATE_PER_MINUTE,
    pollIntervalMs: e.OUTBOUND_POLL_INTERVAL_MS,
    breakerFailures: e.CIRCUIT_BREAKER_FAILURES,
    breakerHalfOpenMs: e.CIRCUIT_BREAKER_HALF_OPEN_MS,
  };
});

export const allConfigs = [messagingConfig, appConfig, databaseConfig, tenancyConfig, authConfig, ingestConfig, healthConfig, providersConfig, sessionsConfig];

export type AppConfig = ConfigType<typeof appConfig>;
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
export type TenancyConfig = ConfigType<typeof tenancyConfig>;
export type AuthConfig = ConfigType<typeof authConfig>;
export type IngestConfig = ConfigType<typeof ingestConfig>;
export type HealthConfig = ConfigType<typeof healthConfig>;
export type ProvidersConfig = ConfigType<typeof providersConfig>;
export type SessionsConfig = ConfigType<typeof sessionsConfig>;
export type MessagingConfig = ConfigType<typeof messagingConfig>;
