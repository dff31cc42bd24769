import { ApiProperty } from '@nestjs/swagger';
import { Equals, IsMongoId, IsString, MaxLength } from 'class-validator';
import { RecipientDto } from './outbound-base.dto';

export class ReactionMessageDto extends RecipientDto {
  @ApiProperty({ enum: ['reaction'] })
  @Equals('reaction')
  kind: 'reaction';

  @ApiProperty({ example: '665f1c2e8b3a4d0012345678', description: 'The stored message (its `id` in the chat listing) to react to' })
  @IsMongoId()
  messageId: string;

  @ApiProperty({ example: '👍', description: 'One emoji; an empty string takes the reaction back' })
  @IsString()
  @MaxLength(16)
  emoji: string;
}
