import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsObject, IsOptional, Matches } from 'class-validator';
import { RecipientDto } from './outbound-base.dto';

/** A Twilio Content template: the only message a business may start outside the 24-hour window. */
export class TemplateMessageDto extends RecipientDto {
  @ApiProperty({ enum: ['template'] })
  @Equals('template')
  kind: 'template';

  @ApiProperty({ example: 'HXb5b62575e6e4ff6129ad7c8efe1f983e', description: 'Content SID (HX…)' })
  @Matches(/^HX[0-9a-fA-F]{32}$/, { message: 'contentSid must be a Content SID (HX followed by 32 hex digits)' })
  contentSid: string;

  @ApiPropertyOptional({ example: { '1': 'Ana', '2': '12 de junio' }, description: "The template's variables by number" })
  @IsOptional()
  @IsObject()
  variables?: Record<string, string>;
}
