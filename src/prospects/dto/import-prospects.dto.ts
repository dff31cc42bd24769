import { ApiProperty } from '@nestjs/swagger';
import { IsArray, IsObject } from 'class-validator';

/** Rows are checked one by one by the import, so one bad row is reported instead of failing the file. */
export class ImportProspectsDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', properties: { number: { type: 'string' }, name: { type: 'string' }, stage: { type: 'string' } } },
    example: [{ number: '+5215512345678', name: 'Ana' }],
  })
  @IsArray()
  @IsObject({ each: true })
  rows: Record<string, unknown>[];
}

export interface ImportRejection {
  row: number;
  number?: unknown;
  reason: string;
}

export interface ImportResult {
  total: number;
  created: number;
  updated: number;
  rejected: number;
  rejections: ImportRejection[];
}
