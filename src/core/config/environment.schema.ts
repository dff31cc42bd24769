import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsJSON,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

/** Reads the raw string: implicit conversion would turn 'false' into true. */
const toBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
  const raw = obj[key];
  return typeof raw === 'string' ? ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase()) : raw;
};

const MONGO_URI = /^mongodb(\+srv)?:\/\/.+/;

/** Every environment variable the service reads, with its default. `.env.example` documents each one. */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: string = 'development';

  @IsInt() @Min(0) @Max(65535)
  PORT: number = 3000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @IsOptional() @Matches(MONGO_URI, { message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI?: string;

  @IsString() @MinLength(1)
  EMBEDDED_DB_DIR: string = 'data/ferretdb';

  @IsInt() @Min(1) @Max(65535)
  EMBEDDED_DB_PORT: number = 27027;

  @IsString() @MinLength(1)
  FERRETDB_BIN: string = '.tools/bin/ferretdb';

  @IsString() @Matches(/^[a-z0-9_-]{1,38}$/)
  CONTROL_DB_NAME: string = 'virtual_voices';

  @IsInt() @Min(1) @Max(500)
  MONGO_MAX_POOL_SIZE: number = 20;

  @IsInt() @Min(0) @Max(500)
  MONGO_MIN_POOL_SIZE: number = 5;

  @IsInt() @Min(1000)
  MONGO_MAX_IDLE_TIME_MS: number = 300_000;

  @IsInt() @Min(500)
  MONGO_HEARTBEAT_FREQUENCY_MS: number = 30_000;

  @IsInt() @Min(100)
  MONGO_SERVER_SELECTION_TIMEOUT_MS: number = 15_000;

  @IsInt() @Min(1000)
  MONGO_SOCKET_TIMEOUT_MS: number = 120_000;

  @IsInt() @Min(100) @Max(120_000)
  MONGO_CONNECT_TIMEOUT_MS: number = 30_000;

  /** Driver command monitoring: feeds vv_db_commands_total and the e2e query audit. */
  @Transform(toBoolean) @IsBoolean()
  MONGODB_MONITOR_COMMANDS: boolean = false;

  @IsInt() @Min(1) @Max(200)
  TENANT_MAX_CONCURRENT_OPS: number = 5;

  @IsInt() @Min(0) @Max(100_000)
  TENANT_OP_QUEUE_SIZE: number = 200;

  @IsInt() @Min(1)
  TENANT_OP_WAIT_TIMEOUT_MS: number = 5_000;

  @IsInt() @Min(1) @Max(500)
  TENANT_DEDICATED_MAX_POOL_SIZE: number = 10;

  @IsInt() @Min(1000)
  TENANT_DEDICATED_IDLE_CLOSE_MS: number = 600_000;

  @IsString() @Matches(/^[a-z0-9_]{0,20}$/)
  TENANT_DB_PREFIX: string = 'vv_';

  @IsOptional() @Matches(MONGO_URI, { message: 'QUICKLEARNING_MONGODB_URI must be a mongodb:// or mongodb+srv:// URI' })
  QUICKLEARNING_MONGODB_URI?: string;

  /** JSON object of named dedicated clusters, e.g. {"acme":"mongodb+srv://..."}; companies refer to them by name. */
  @IsOptional() @IsJSON()
  TENANT_CLUSTER_URIS?: string;

  @Transform(toBoolean) @IsBoolean()
  MIGRATE_ON_BOOT: boolean = true;

  @IsOptional() @IsString() @MinLength(24) @MaxLength(256)
  ADMIN_API_KEY?: string;

  @IsInt() @Min(1)
  RATE_LIMIT_PER_MINUTE: number = 100;

  @IsInt() @Min(1)
  AUTH_FAILURES_PER_5_MINUTES: number = 50;

  @IsInt() @Min(1) @Max(1000)
  PROSPECT_BATCH_SIZE: number = 50;

  @IsInt() @Min(1) @Max(60_000)
  PROSPECT_BATCH_INTERVAL_MS: number = 250;

  @IsInt() @Min(1) @Max(1_000_000)
  PROSPECT_BUFFER_LIMIT: number = 1_000;

  @IsInt() @Min(0) @Max(10)
  PROSPECT_WRITE_RETRIES: number = 3;

  @IsInt() @Min(0) @Max(10_000_000)
  PROSPECT_ID_CACHE_SIZE: number = 20_000;

  @IsInt() @Min(1) @Max(100_000)
  PROSPECT_IMPORT_MAX_ROWS: number = 10_000;

  @IsInt() @Min(1) @Max(1_000_000)
  INGEST_BUFFER_PER_COMPANY: number = 2_000;

  @IsInt() @Min(1) @Max(10_000_000)
  INGEST_BUFFER_GLOBAL: number = 10_000;

  @IsInt() @Min(1) @Max(10_000)
  INGEST_MAX_BATCH: number = 500;

  @IsInt() @Min(100) @Max(120_000)
  INGEST_ACK_TIMEOUT_MS: number = 10_000;

  @IsInt() @Min(10) @Max(60_000)
  INGEST_RETRY_MAX_DELAY_MS: number = 1_000;

  @IsInt() @Min(0) @Max(60_000)
  INGEST_DERIVE_WINDOW_MS: number = 200;

  @IsInt() @Min(100) @Max(600_000)
  INGEST_WATERMARK_HEARTBEAT_MS: number = 5_000;

  @IsInt() @Min(0) @Max(120_000)
  INGEST_SHUTDOWN_DRAIN_MS: number = 10_000;

  @Matches(/^[A-Z]{2}$/)
  DEFAULT_PHONE_REGION: string = 'MX';

  @IsInt() @Min(64)
  MEMORY_LIMIT_MB: number = 2048;

  @IsNumber() @Min(0.1) @Max(1)
  MEMORY_WARNING_RATIO: number = 0.7;

  @IsNumber() @Min(0.1) @Max(1)
  MEMORY_HIGH_RATIO: number = 0.85;

  @IsNumber() @Min(0.1) @Max(1)
  MEMORY_CRITICAL_RATIO: number = 0.9;

  @IsInt() @Min(100)
  HEALTH_DB_PING_TIMEOUT_MS: number = 2_000;

  /** Public origin of this service, used to check Twilio webhook signatures (Twilio signs the URL it called). */
  @IsOptional() @Matches(/^https?:\/\/[^/]+$/, { message: 'PUBLIC_BASE_URL must be an origin like https://api.example.com' })
  PUBLIC_BASE_URL?: string;

  /** JSON by company slug: {"quicklearning":{"accountSid":"AC…","authToken":"…","from":"whatsapp:+1…"}} (secret). */
  @IsOptional() @IsJSON()
  TWILIO_ACCOUNTS?: string;

  /** Replaces https://*.twilio.com in SDK requests; only for tests against a local stand-in. */
  @IsOptional() @Matches(/^https?:\/\/.+/)
  TWILIO_API_BASE_URL?: string;

  /** WhatsApp's multi-device WebSocket for Baileys; only tests point it elsewhere. */
  @IsOptional() @Matches(/^wss?:\/\/.+/)
  BAILEYS_WS_URL?: string;

  @IsString() @MinLength(1)
  CHROMIUM_PATH: string = '/usr/bin/chromium';

  /** Extra Chromium resolver rules (tests send web.whatsapp.com to a local port). */
  @IsOptional() @IsString()
  CHROMIUM_HOST_RESOLVER_RULES?: string;

  @Transform(toBoolean) @IsBoolean()
  WWEBJS_HISTORY_IMPORT: boolean = false;

  @IsInt() @Min(0) @Max(1000)
  WWEBJS_HISTORY_MAX_CHATS: number = 20;

  @IsInt() @Min(0) @Max(1000)
  WWEBJS_HISTORY_MAX_MESSAGES_PER_CHAT: number = 50;

  @IsInt() @Min(60_000)
  WWEBJS_AUTH_BACKUP_INTERVAL_MS: number = 300_000;

  @IsInt() @Min(1) @Max(100_000)
  SESSIONS_MAX_ACTIVE: number = 250;

  @IsInt() @Min(1) @Max(1_000)
  SESSIONS_MAX_WHATSAPP_WEB: number = 3;

  @IsInt() @Min(1) @Max(100_000)
  SESSIONS_MAX_PER_COMPANY: number = 50;

  @IsInt() @Min(60_000)
  SESSION_IDLE_TIMEOUT_MS: number = 86_400_000;

  @IsInt() @Min(60_000)
  SESSION_MAX_LIFETIME_MS: number = 604_800_000;

  @IsInt() @Min(1) @Max(1_000)
  SESSION_RECONNECT_MAX_ATTEMPTS: number = 10;

  @IsInt() @Min(10)
  SESSION_RECONNECT_BASE_MS: number = 2_000;

  @IsInt() @Min(100)
  SESSION_RECONNECT_MAX_MS: number = 300_000;

  @IsInt() @Min(1) @Max(1_000)
  SESSION_START_CONCURRENCY: number = 10;

  @IsInt() @Min(1) @Max(100)
  OUTBOUND_MAX_ATTEMPTS: number = 5;

  @IsInt() @Min(10)
  OUTBOUND_RETRY_BASE_MS: number = 3_000;

  @IsInt() @Min(100)
  OUTBOUND_SEND_TIMEOUT_MS: number = 45_000;

  @IsInt() @Min(1)
  OUTBOUND_RATE_PER_MINUTE: number = 30;

  @IsInt() @Min(1_024) @Max(104_857_600)
  OUTBOUND_MEDIA_MAX_BYTES: number = 16_777_216;

  @IsInt() @Min(100)
  OUTBOUND_MEDIA_TIMEOUT_MS: number = 30_000;

  /** Tests only: let media URLs reach private, loopback and link-local addresses. */
  @Transform(toBoolean) @IsBoolean()
  OUTBOUND_MEDIA_ALLOW_PRIVATE: boolean = false;

  /** Recipient lookups (Baileys onWhatsApp) per session per minute; answers are cached. */
  @IsInt() @Min(1)
  BAILEYS_LOOKUPS_PER_MINUTE: number = 60;

  @IsInt() @Min(10)
  OUTBOUND_POLL_INTERVAL_MS: number = 1_000;

  @IsInt() @Min(1)
  CIRCUIT_BREAKER_FAILURES: number = 10;

  @IsInt() @Min(100)
  CIRCUIT_BREAKER_HALF_OPEN_MS: number = 120_000;

  /** This process's name in session leases; unset: <hostname>:<pid>:<random>, new at every start. */
  @IsOptional() @IsString() @Matches(/^[\w.:-]{1,100}$/)
  SESSION_OWNER_ID?: string;

  @IsInt() @Min(1_000)
  SESSION_LEASE_TTL_MS: number = 30_000;

  @IsInt() @Min(100)
  SESSION_LEASE_RENEW_MS: number = 10_000;

  @IsInt() @Min(100)
  SESSION_CLAIM_INTERVAL_MS: number = 5_000;

  @IsInt() @Min(1_000)
  SHUTDOWN_TIMEOUT_MS: number = 40_000;

  /** Runs every session on this provider instead of the company's; only 'simulator' (tests, demos). */
  @IsOptional() @IsIn(['simulator'])
  SESSIONS_PROVIDER_OVERRIDE?: 'simulator';
}

/** Validates the whole environment at once and fails listing every bad key. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== '' && value !== undefined));
  const env = plainToInstance(EnvironmentVariables, present, { enableImplicitConversion: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid environment (${errors.length} problem(s)):\n${lines.join('\n')}`);
  }
  return env;
}
