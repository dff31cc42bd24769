import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'crm-integration', description: 'What the key is for, shown in listings' })
  @IsString()
  @Length(1, 80)
  name: string;
}
