import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { SESSION_NAME_PATTERN } from '../session-status';

export class CreateSessionDto {
  @ApiProperty({ example: 'sales-1', pattern: SESSION_NAME_PATTERN.source })
  @Matches(SESSION_NAME_PATTERN, { message: 'name must be 1-40 lowercase letters, digits, dashes or underscores' })
  name: string;

  @ApiPropertyOptional({
    description: "Twilio only: the WhatsApp number (E.164) or Messaging Service SID this session sends from and receives on; defaults to the account's sender",
    example: '+14155238886',
  })
  @IsOptional()
  @Matches(/^(\+[1-9]\d{6,14}|MG[0-9a-f]{32})$/, { message: 'sender must be an E.164 number or a Messaging Service SID (MG…)' })
  sender?: string;
}
