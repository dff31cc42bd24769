import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class PairingCodeDto {
  @ApiProperty({ example: '+5215512345678', description: 'The phone number to link, in any common notation' })
  @IsString()
  @Length(6, 32)
  phone: string;
}
