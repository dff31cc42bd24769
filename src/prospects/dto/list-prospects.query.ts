import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../core/pagination/page.query';

export class ListProspectsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Number prefix (with or without +) or part of the name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;
}
