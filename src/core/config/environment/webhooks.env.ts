import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { toBoolean } from './values';

/** Outgoing webhooks: signing, delivery, retries, breaker, SSRF. */
export class WebhooksVariables {
  /** Tests and development only: let webhook URLs reach private, loopback and link-local addresses. */
  @Transform(toBoolean)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_TARGETS: boolean = false;

  /** Encrypts endpoint secrets at rest (AES-256-GCM, key = SHA-256 of this value); unset: stored as is. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  WEBHOOK_SECRET_KEY?: string;

  /** After a rotation, deliveries are signed with the new and the previous secret for this long. */
  @IsInt()
  @Min(0)
  @Max(604_800_000)
  WEBHOOK_SECRET_GRACE_MS: number = 86_400_000;

  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS: number = 10_000;

  @IsInt()
  @Min(0)
  @Max(10_485_760)
  WEBHOOK_MAX_RESPONSE_BYTES: number = 65_536;

  @IsInt()
  @Min(10)
  WEBHOOK_RETRY_BASE_MS: number = 2_000;

  @IsInt()
  @Min(10)
  WEBHOOK_RETRY_MAX_MS: number = 900_000;

  @IsInt()
  @Min(0)
  WEBHOOK_RETRY_HORIZON_MS: number = 86_400_000;

  @IsInt()
  @Min(1)
  @Max(1_000)
  WEBHOOK_BREAKER_FAILURES: number = 10;

  @IsInt()
  @Min(100)
  WEBHOOK_BREAKER_HALF_OPEN_MS: number = 120_000;

  @IsInt()
  @Min(10)
  @Max(100_000)
  WEBHOOK_WINDOW_EVENTS: number = 1_000;

  @IsInt()
  @Min(1)
  @Max(1_000)
  WEBHOOK_CONCURRENCY: number = 10;

  @IsInt()
  @Min(50)
  @Max(60_000)
  WEBHOOK_POLL_INTERVAL_MS: number = 1_000;

  @IsInt()
  @Min(1_000)
  WEBHOOK_LEASE_TTL_MS: number = 30_000;

  @IsInt()
  @Min(0)
  @Max(120_000)
  WEBHOOK_SHUTDOWN_GRACE_MS: number = 5_000;
}
