import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '../error-code';

/** The OpenAPI schema of every error answer (HttpExceptionFilter's `ErrorBody`). */
export class ErrorBodyDto {
  @ApiProperty({ example: 404 })
  statusCode: number;

  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode', description: 'Stable, machine-readable; switch on this' })
  code: ErrorCode;

  @ApiProperty({ example: 'company "acme" does not exist' })
  message: string;

  @ApiPropertyOptional({ description: 'What exactly was wrong (e.g. every validation problem)' })
  details?: unknown;

  @ApiPropertyOptional({ description: 'Of a 500: names the request in the logs' })
  correlationId?: string;
}
