import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Length, MaxLength, ValidateIf } from 'class-validator';
import { RecipientDto } from './outbound-base.dto';

/** The first API's shape, without `kind`: text, or media by URL (its kind read from the URL's extension). */
export class LegacyMessageDto extends RecipientDto {
  @ApiPropertyOptional({ example: 'Hola, ¿en qué te ayudo?' })
  @ValidateIf((body: LegacyMessageDto) => body.mediaUrl === undefined)
  @IsString()
  @Length(1, 4096)
  text?: string;

  @ApiPropertyOptional({ example: 'https://example.com/brochure.pdf' })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  mediaUrl?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  caption?: string;
}
