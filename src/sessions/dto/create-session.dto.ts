import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { SESSION_NAME_PATTERN } from '../session-status';

export class CreateSessionDto {
  @ApiProperty({ example: 'sales-1', pattern: SESSION_NAME_PATTERN.source })
  @Matches(SESSION_NAME_PATTERN, { message: 'name must be 1-40 lowercase letters, digits, dashes or underscores' })
  name: string;
}
