import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsMongoId, IsOptional, IsString, Length } from 'class-validator';

/** Every outbound message names its recipient. */
export class RecipientDto {
  @ApiProperty({ example: '+5215512345678', description: 'Recipient, in any common notation' })
  @IsString()
  @Length(6, 40)
  to: string;
}

/** Text and media can quote a stored message of the same chat. */
export class ReplyableDto extends RecipientDto {
  @ApiPropertyOptional({
    example: '665f1c2e8b3a4d0012345678',
    description: 'Quote this stored message (its `id` in the chat listing); the provider must support replies',
  })
  @IsOptional()
  @IsMongoId()
  replyTo?: string;
}
