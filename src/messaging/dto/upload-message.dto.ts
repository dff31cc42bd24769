import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { OUTBOUND_MEDIA_KINDS, type OutboundMediaKind } from '../../providers/provider.port';
import { ReplyableDto } from './outbound-base.dto';

/** The text fields of a multipart upload; the file itself is the `file` part. */
export class UploadMessageFields extends ReplyableDto {
  @ApiPropertyOptional({ enum: OUTBOUND_MEDIA_KINDS, description: "Default: from the file's MIME type (image, video, audio, else document)" })
  @IsOptional()
  @IsIn(OUTBOUND_MEDIA_KINDS)
  kind?: OutboundMediaKind;

  @ApiPropertyOptional({ description: 'For images, videos and documents' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  caption?: string;

  @ApiPropertyOptional({ example: 'cotizacion.pdf', description: "The name the recipient sees; default: the uploaded file's name" })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  fileName?: string;
}

/** The OpenAPI body of an upload. */
export const UPLOAD_MESSAGE_SCHEMA = {
  type: 'object',
  required: ['to', 'file'],
  properties: {
    to: { type: 'string', example: '+5215512345678' },
    kind: { type: 'string', enum: [...OUTBOUND_MEDIA_KINDS] },
    caption: { type: 'string', maxLength: 1024 },
    fileName: { type: 'string', maxLength: 255 },
    replyTo: { type: 'string', description: 'Quote this stored message (its `id` in the chat listing)' },
    file: { type: 'string', format: 'binary', description: 'At most OUTBOUND_MEDIA_MAX_BYTES (413 PAYLOAD_TOO_LARGE beyond)' },
  },
};
