import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Length } from 'class-validator';

export class CheckContactsDto {
  @ApiProperty({ example: ['+5215512345678', '+14155550123'], description: 'Up to 50 numbers, in any common notation' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(3, 40, { each: true })
  numbers: string[];
}

export class ContactCheckView {
  @ApiProperty({ description: 'As given' })
  number: string;

  @ApiProperty({ nullable: true, description: 'E.164, or null when it is not a phone number' })
  phone: string | null;

  @ApiProperty()
  exists: boolean;

  @ApiProperty({ required: false, description: "WhatsApp's id for the number" })
  jid?: string;

  @ApiProperty({ required: false, description: 'Its privacy id (…@lid), when WhatsApp tells' })
  lid?: string;
}

export class ContactProfileView {
  @ApiProperty()
  phone: string;

  @ApiProperty({ required: false })
  name?: string;

  @ApiProperty({ required: false })
  pictureUrl?: string;
}
