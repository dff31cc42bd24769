import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class CompanyCapsDto {
  @ApiPropertyOptional({ description: 'Concurrent database operations (default TENANT_MAX_CONCURRENT_OPS)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  maxConcurrentOps?: number;

  @ApiPropertyOptional({ description: 'Operations that may wait for a slot' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  opQueueSize?: number;

  @ApiPropertyOptional({ description: 'How long an operation may wait for a slot, in ms' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120_000)
  opWaitTimeoutMs?: number;

  @ApiPropertyOptional({ description: 'Driver pool size when the company has its own cluster' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  maxPoolSize?: number;

  @ApiPropertyOptional({ description: 'Bytes of inbound media the company may keep (default MEDIA_QUOTA_BYTES); beyond it media is refused, messages stay' })
  @IsOptional()
  @IsInt()
  @Min(0)
  mediaQuotaBytes?: number;
}
