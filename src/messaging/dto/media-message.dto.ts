import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { ReplyableDto } from './outbound-base.dto';

/** Media is fetched from `url` when it is sent: http(s), bounded in size and time, never a private address. */
class MediaFieldsDto extends ReplyableDto {
  @ApiProperty({ example: 'https://example.com/files/brochure.pdf' })
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  url: string;

  @ApiPropertyOptional({ description: 'MIME type, when the server does not say it right' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.+-]+\/[A-Za-z0-9_.+-]+(;.*)?$/)
  @MaxLength(100)
  mimeType?: string;
}

class CaptionedMediaDto extends MediaFieldsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  caption?: string;
}

export class ImageMessageDto extends CaptionedMediaDto {
  @ApiProperty({ enum: ['image'] })
  @Equals('image')
  kind: 'image';
}

export class VideoMessageDto extends CaptionedMediaDto {
  @ApiProperty({ enum: ['video'], description: 'mp4 (H.264, AAC)' })
  @Equals('video')
  kind: 'video';
}

export class AudioMessageDto extends MediaFieldsDto {
  @ApiProperty({ enum: ['audio'], description: 'An audio file (mp3, aac, ogg), shown as a file to play' })
  @Equals('audio')
  kind: 'audio';
}

export class VoiceMessageDto extends MediaFieldsDto {
  @ApiProperty({ enum: ['voice'], description: 'A voice note (push-to-talk): Ogg with Opus' })
  @Equals('voice')
  kind: 'voice';
}

export class DocumentMessageDto extends CaptionedMediaDto {
  @ApiProperty({ enum: ['document'] })
  @Equals('document')
  kind: 'document';

  @ApiPropertyOptional({ example: 'cotizacion.pdf', description: 'The name the recipient sees; default: from the URL' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  fileName?: string;
}

export class StickerMessageDto extends MediaFieldsDto {
  @ApiProperty({ enum: ['sticker'], description: 'A WebP image, 512×512' })
  @Equals('sticker')
  kind: 'sticker';
}
