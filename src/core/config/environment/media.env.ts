import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { toBoolean } from './values';

/** Inbound media: downloaded after the message is stored, kept in the company's database. */
export class MediaVariables {
  /** Largest inbound file downloaded; a larger one is refused (the message stays). */
  @IsInt()
  @Min(1_024)
  @Max(104_857_600)
  MEDIA_MAX_BYTES: number = 16_777_216;

  /** Bytes of media a company may keep, unless its caps say otherwise. */
  @IsInt()
  @Min(0)
  MEDIA_QUOTA_BYTES: number = 5_368_709_120;

  /** Downloads running at once per company in one process. */
  @IsInt()
  @Min(1)
  @Max(32)
  MEDIA_DOWNLOAD_CONCURRENCY: number = 2;

  @IsInt()
  @Min(1)
  @Max(20)
  MEDIA_DOWNLOAD_ATTEMPTS: number = 5;

  @IsInt()
  @Min(10)
  MEDIA_RETRY_BASE_MS: number = 2_000;

  /** Time for one whole download. */
  @IsInt()
  @Min(100)
  MEDIA_DOWNLOAD_TIMEOUT_MS: number = 60_000;

  /** How often a process looks for downloads no process holds (left by a crash or a restart). */
  @IsInt()
  @Min(100)
  MEDIA_SWEEP_INTERVAL_MS: number = 60_000;

  /** Chunk collections roll over at this size (see src/media/chunked-media-store.ts). */
  @IsInt()
  @Min(1)
  @Max(1_048_576)
  MEDIA_SEGMENT_MB: number = 64;

  /** Tests only: let inbound media downloads reach private, loopback and link-local addresses. */
  @Transform(toBoolean)
  @IsBoolean()
  MEDIA_ALLOW_PRIVATE: boolean = false;

  /** Tests only: where Baileys media is downloaded from instead of https://mmg.whatsapp.net. */
  @IsOptional()
  @Matches(/^https?:\/\/[^/]+$/)
  BAILEYS_MEDIA_ORIGIN?: string;
}
