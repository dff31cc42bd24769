import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { toBoolean } from './values';

/** The process itself: port, logging, admin key, rate limits, memory and health thresholds. */
export class AppVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: string = 'development';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @Transform(toBoolean)
  @IsBoolean()
  MIGRATE_ON_BOOT: boolean = true;

  @IsOptional()
  @IsString()
  @MinLength(24)
  @MaxLength(256)
  ADMIN_API_KEY?: string;

  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE: number = 100;

  @IsInt()
  @Min(1)
  AUTH_FAILURES_PER_5_MINUTES: number = 50;

  @IsInt()
  @Min(64)
  MEMORY_LIMIT_MB: number = 2048;

  @IsNumber()
  @Min(0.1)
  @Max(1)
  MEMORY_WARNING_RATIO: number = 0.7;

  @IsNumber()
  @Min(0.1)
  @Max(1)
  MEMORY_HIGH_RATIO: number = 0.85;

  @IsNumber()
  @Min(0.1)
  @Max(1)
  MEMORY_CRITICAL_RATIO: number = 0.9;

  @IsInt()
  @Min(100)
  HEALTH_DB_PING_TIMEOUT_MS: number = 2_000;

  @IsInt()
  @Min(1_000)
  SHUTDOWN_TIMEOUT_MS: number = 40_000;
}
