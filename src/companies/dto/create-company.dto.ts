import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { COMPANY_SLUG_PATTERN, PROVIDERS, type ProviderName } from '../../tenancy/company';
import { CompanyCapsDto } from './company-caps.dto';

export class CreateCompanyDto {
  @ApiProperty({ example: 'acme-motors', pattern: COMPANY_SLUG_PATTERN.source })
  @Matches(COMPANY_SLUG_PATTERN, { message: 'slug must be 2-40 lowercase letters, digits or dashes, starting with a letter' })
  slug: string;

  @ApiProperty({ example: 'Acme Motors' })
  @IsString()
  @Length(1, 120)
  displayName: string;

  @ApiProperty({ enum: PROVIDERS })
  @IsIn(PROVIDERS)
  provider: ProviderName;

  @ApiPropertyOptional({ description: 'A dedicated cluster named in TENANT_CLUSTER_URIS; omit for the shared one' })
  @IsOptional()
  @Matches(/^[a-z0-9_-]{1,40}$/)
  cluster?: string;

  @ApiPropertyOptional({ type: CompanyCapsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CompanyCapsDto)
  caps?: CompanyCapsDto;
}
