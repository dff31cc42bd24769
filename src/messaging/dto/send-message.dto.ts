import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Length, MaxLength, ValidateIf } from 'class-validator';

export class SendMessageDto {
  @ApiProperty({ example: '+5215512345678', description: 'Recipient, in any common notation' })
  @IsString() @Length(6, 40)
  to: string;

  @ApiPropertyOptional({ example: 'Hola, ¿en qué te ayudo?' })
  @ValidateIf((body: SendMessageDto) => body.mediaUrl === undefined)
  @IsString() @Length(1, 4096)
  text?: string;

  @ApiPropertyOptional({ example: 'https://example.com/brochure.pdf' })
  @IsOptional() @IsUrl({ protocols: ['https', 'http'], require_protocol: true }) @MaxLength(2048)
  mediaUrl?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(1024)
  caption?: string;
}
