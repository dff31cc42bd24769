import { Body, Controller, Get, Headers, HttpCode, Param, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor, type UploadedMultipartFile } from '@nestjs/platform-fastify/multipart';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiHeader, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AcceptsBody } from '../core/http/body-policy';
import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';
import { SEND_MESSAGE_MODELS, SEND_MESSAGE_SCHEMA, type SendMessageDto } from './dto/send-message.dto';
import { UPLOAD_MESSAGE_SCHEMA, UploadMessageFields } from './dto/upload-message.dto';
import { SendMessagePipe } from './send-message.pipe';
import type { OutboundView } from './outbound-message';
import { OutboundService } from './outbound.service';
import { ApiErrors } from '../core/http/openapi/api-errors.decorator';
import { IDEMPOTENCY_KEY } from './outbound-message';
import { Tenant } from '../tenancy/http/route-company.decorators';
import type { TenantContext } from '../tenancy/tenant-context';

@ApiTags('messaging')
@ApiSecurity('api-key')
@ApiExtraModels(...SEND_MESSAGE_MODELS)
@Controller('api/v1/companies/:company/sessions/:session/messages')
export class MessagingController {
  constructor(private readonly outbound: OutboundService) {}

  /**
   * 202: stored as queued; sent by the worker with retries. The same Idempotency-Key returns the same message. One
   * body per `kind`; 422 UNSUPPORTED_MESSAGE_KIND when the session's provider cannot send it, OUTSIDE_SESSION_WINDOW
   * (Twilio) for a free-form message more than 24 hours after the customer last wrote, QUOTED_MESSAGE_NOT_FOUND for a
   * reply or reaction to a message not in the chat, MEDIA_URL_REFUSED for a URL naming a private address; nothing is
   * queued then. Bodies without `kind` (`text`, or `mediaUrl` + `caption`) are still taken.
   */
  @Post()
  @HttpCode(202)
  @ApiErrors(409, 422)
  @ApiHeader({ name: 'Idempotency-Key', required: false, schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source } })
  @ApiBody({ schema: SEND_MESSAGE_SCHEMA })
  async send(
    @Tenant() tenant: TenantContext,
    @Param('session') session: string,
    @Body(SendMessagePipe) body: SendMessageDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<OutboundView> {
    return (await this.outbound.enqueue(tenant, session, body, idempotencyKey)).message;
  }

  /**
   * 202: media uploaded as `multipart/form-data` (the `file` part, at most OUTBOUND_MEDIA_MAX_BYTES: 413
   * PAYLOAD_TOO_LARGE beyond, nothing queued), sent like a media message given by URL. The bytes are kept with the
   * message (`GET …/messages/:id/media` with this message's id). Twilio fetches media from URLs only: 422 there.
   */
  @Post('upload')
  @HttpCode(202)
  @AcceptsBody({ types: ['multipart/form-data'] })
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiErrors(409, 422)
  @ApiHeader({ name: 'Idempotency-Key', required: false, schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source } })
  @ApiBody({ schema: UPLOAD_MESSAGE_SCHEMA })
  async upload(
    @Tenant() tenant: TenantContext,
    @Param('session') session: string,
    @Body() fields: UploadMessageFields,
    @UploadedFile() file: UploadedMultipartFile | undefined,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<OutboundView> {
    if (!file?.buffer) throw new AppException(ErrorCode.VALIDATION_FAILED, 'the upload needs its file in a part named "file"');
    const uploaded = {
      data: file.buffer,
      mimeType: file.mimetype || 'application/octet-stream',
      ...(file.originalname ? { fileName: file.originalname } : {}),
    };
    return (await this.outbound.enqueueUpload(tenant, session, fields, uploaded, idempotencyKey)).message;
  }

  @Get(':id')
  get(@Tenant() tenant: TenantContext, @Param('session') session: string, @Param('id') id: string): Promise<OutboundView> {
    return this.outbound.get(tenant, session, id);
  }
}
