import { IsInt, Matches, Max, Min } from 'class-validator';

/** Inbound messages and prospect writes. */
export class IngestVariables {
  @IsInt()
  @Min(1)
  @Max(1000)
  PROSPECT_BATCH_SIZE: number = 50;

  @IsInt()
  @Min(1)
  @Max(60_000)
  PROSPECT_BATCH_INTERVAL_MS: number = 250;

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  PROSPECT_BUFFER_LIMIT: number = 1_000;

  @IsInt()
  @Min(0)
  @Max(10)
  PROSPECT_WRITE_RETRIES: number = 3;

  @IsInt()
  @Min(0)
  @Max(10_000_000)
  PROSPECT_ID_CACHE_SIZE: number = 20_000;

  @IsInt()
  @Min(1)
  @Max(100_000)
  PROSPECT_IMPORT_MAX_ROWS: number = 10_000;

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  INGEST_BUFFER_PER_COMPANY: number = 2_000;

  @IsInt()
  @Min(1)
  @Max(10_000_000)
  INGEST_BUFFER_GLOBAL: number = 10_000;

  @IsInt()
  @Min(1)
  @Max(10_000)
  INGEST_MAX_BATCH: number = 500;

  @IsInt()
  @Min(100)
  @Max(120_000)
  INGEST_ACK_TIMEOUT_MS: number = 10_000;

  @IsInt()
  @Min(10)
  @Max(60_000)
  INGEST_RETRY_MAX_DELAY_MS: number = 1_000;

  @IsInt()
  @Min(0)
  @Max(60_000)
  INGEST_DERIVE_WINDOW_MS: number = 200;

  @IsInt()
  @Min(100)
  @Max(600_000)
  INGEST_WATERMARK_HEARTBEAT_MS: number = 5_000;

  @IsInt()
  @Min(0)
  @Max(120_000)
  INGEST_SHUTDOWN_DRAIN_MS: number = 10_000;

  @Matches(/^[A-Z]{2}$/)
  DEFAULT_PHONE_REGION: string = 'MX';
}
