import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { PAGE_CURSOR_PATTERN } from './page-cursor';

export class PageQuery {
  @ApiPropertyOptional({ description: 'nextCursor from the previous page', pattern: PAGE_CURSOR_PATTERN.source })
  @IsOptional()
  @Matches(PAGE_CURSOR_PATTERN, { message: 'cursor is not one this API returned' })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;
}
