import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { COMPANY_SLUG_PATTERN } from '../../tenancy/company';
import { HISTORY_MINUTES } from '../minute-history';

export class StatsQueryDto {
  @ApiPropertyOptional({
    description: 'one company (admin: any; a company key: only its own, else 403); absent: every company the key may see',
    pattern: COMPANY_SLUG_PATTERN.source,
  })
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsOptional()
  @Matches(COMPANY_SLUG_PATTERN, { message: 'company must be a company slug' })
  company?: string;
}

export class StatsHistoryQueryDto extends StatsQueryDto {
  @ApiPropertyOptional({ default: HISTORY_MINUTES, minimum: 1, maximum: HISTORY_MINUTES })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(HISTORY_MINUTES)
  minutes = HISTORY_MINUTES;
}
