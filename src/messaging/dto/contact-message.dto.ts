import { ApiProperty } from '@nestjs/swagger';
import { Equals, IsString, Length } from 'class-validator';
import { ReplyableDto } from './outbound-base.dto';

/** A contact card (vCard) for one person. */
export class ContactMessageDto extends ReplyableDto {
  @ApiProperty({ enum: ['contact'] })
  @Equals('contact')
  kind: 'contact';

  @ApiProperty({ example: 'Laura Méndez (ventas)' })
  @IsString()
  @Length(1, 256)
  name: string;

  @ApiProperty({ example: '+5215587654321' })
  @IsString()
  @Length(6, 40)
  phone: string;
}
