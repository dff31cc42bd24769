import { ApiProperty } from '@nestjs/swagger';
import { Equals, IsString, Length } from 'class-validator';
import { ReplyableDto } from './outbound-base.dto';

export class TextMessageDto extends ReplyableDto {
  @ApiProperty({ enum: ['text'] })
  @Equals('text')
  kind: 'text';

  @ApiProperty({ example: 'Hola, ¿en qué te ayudo?' })
  @IsString()
  @Length(1, 4096)
  text: string;
}
