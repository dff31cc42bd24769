import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { MediaService } from './media.service';
import { ApiErrors } from '../core/http/openapi/api-errors.decorator';
import { Tenant } from '../tenancy/http/route-company.decorators';
import type { TenantContext } from '../tenancy/tenant-context';

@ApiTags('conversations')
@ApiSecurity('api-key')
@Controller('api/v1/companies/:company/sessions/:session/messages')
export class MediaController {
  constructor(private readonly media: MediaService) {}

  /**
   * The bytes of a stored message's media (`id` as in the chat's message listing), with its MIME type. 409
   * MEDIA_NOT_AVAILABLE while it is still downloading (`details.status: pending`) or when it failed or was refused.
   */
  @Get(':id/media')
  @ApiErrors(409)
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The media bytes', schema: { type: 'string', format: 'binary' } })
  async get(@Tenant() tenant: TenantContext, @Param('session') session: string, @Param('id') id: string): Promise<StreamableFile> {
    const { file, stream } = await this.media.open(tenant, session, id);
    const name = file.fileName ? `; filename="${file.fileName.replace(/["\\\r\n]/g, '_')}"` : '';
    return new StreamableFile(stream, { type: file.mimeType, length: file.size, disposition: `inline${name}` });
  }
}
