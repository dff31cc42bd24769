import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { toBoolean } from './values';

/** Session supervision, leases and the outbox. */
export class SessionsAndMessagingVariables {
  @IsInt()
  @Min(1)
  @Max(100_000)
  SESSIONS_MAX_ACTIVE: number = 250;

  @IsInt()
  @Min(1)
  @Max(1_000)
  SESSIONS_MAX_WHATSAPP_WEB: number = 3;

  @IsInt()
  @Min(1)
  @Max(100_000)
  SESSIONS_MAX_PER_COMPANY: number = 50;

  @IsInt()
  @Min(60_000)
  SESSION_IDLE_TIMEOUT_MS: number = 86_400_000;

  @IsInt()
  @Min(60_000)
  SESSION_MAX_LIFETIME_MS: number = 604_800_000;

  @IsInt()
  @Min(1)
  @Max(1_000)
  SESSION_RECONNECT_MAX_ATTEMPTS: number = 10;

  @IsInt()
  @Min(10)
  SESSION_RECONNECT_BASE_MS: number = 2_000;

  @IsInt()
  @Min(100)
  SESSION_RECONNECT_MAX_MS: number = 300_000;

  @IsInt()
  @Min(1)
  @Max(1_000)
  SESSION_START_CONCURRENCY: number = 10;

  @IsInt()
  @Min(1)
  @Max(100)
  OUTBOUND_MAX_ATTEMPTS: number = 5;

  @IsInt()
  @Min(10)
  OUTBOUND_RETRY_BASE_MS: number = 3_000;

  @IsInt()
  @Min(100)
  OUTBOUND_SEND_TIMEOUT_MS: number = 45_000;

  @IsInt()
  @Min(1)
  OUTBOUND_RATE_PER_MINUTE: number = 30;

  @IsInt()
  @Min(1_024)
  @Max(104_857_600)
  OUTBOUND_MEDIA_MAX_BYTES: number = 16_777_216;

  @IsInt()
  @Min(100)
  OUTBOUND_MEDIA_TIMEOUT_MS: number = 30_000;

  /** Tests only: let media URLs reach private, loopback and link-local addresses. */
  @Transform(toBoolean)
  @IsBoolean()
  OUTBOUND_MEDIA_ALLOW_PRIVATE: boolean = false;

  @IsInt()
  @Min(10)
  OUTBOUND_POLL_INTERVAL_MS: number = 1_000;

  @IsInt()
  @Min(1)
  CIRCUIT_BREAKER_FAILURES: number = 10;

  @IsInt()
  @Min(100)
  CIRCUIT_BREAKER_HALF_OPEN_MS: number = 120_000;

  /** This process's name in session leases; unset: <hostname>:<pid>:<random>, new at every start. */
  @IsOptional()
  @IsString()
  @Matches(/^[\w.:-]{1,100}$/)
  SESSION_OWNER_ID?: string;

  @IsInt()
  @Min(1_000)
  SESSION_LEASE_TTL_MS: number = 30_000;

  @IsInt()
  @Min(100)
  SESSION_LEASE_RENEW_MS: number = 10_000;

  @IsInt()
  @Min(100)
  SESSION_CLAIM_INTERVAL_MS: number = 5_000;

  /** Runs every session on this provider instead of the company's; only 'simulator' (tests, demos). */
  @IsOptional()
  @IsIn(['simulator'])
  SESSIONS_PROVIDER_OVERRIDE?: 'simulator';
}
