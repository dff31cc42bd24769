import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsLatitude, IsLongitude, IsOptional, IsString, MaxLength } from 'class-validator';
import { ReplyableDto } from './outbound-base.dto';

export class LocationMessageDto extends ReplyableDto {
  @ApiProperty({ enum: ['location'] })
  @Equals('location')
  kind: 'location';

  @ApiProperty({ example: 19.4326 })
  @IsLatitude()
  latitude: number;

  @ApiProperty({ example: -99.1332 })
  @IsLongitude()
  longitude: number;

  @ApiPropertyOptional({ example: 'Sucursal Centro' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  name?: string;

  @ApiPropertyOptional({ example: 'Av. Juárez 10, CDMX' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  address?: string;
}
