import { Body, Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiHeader, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { SendMessageDto } from './dto/send-message.dto';
import type { OutboundView } from './outbound-message';
import { OutboundService } from './outbound.service';

@ApiTags('messaging')
@ApiSecurity('api-key')
@Controller('api/v1/companies/:company/sessions/:session/messages')
export class MessagingController {
  constructor(private readonly outbound: OutboundService) {}

  /** 202: stored as queued; sent by the worker with retries. The same Idempotency-Key returns the same message. */
  @Post()
  @HttpCode(202)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async send(
    @Param('company') company: string,
    @Param('session') session: string,
    @Body() body: SendMessageDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<OutboundView> {
    return (await this.outbound.enqueue(company, session, body, idempotencyKey)).message;
  }

  @Get(':id')
  get(@Param('company') company: string, @Param('session') session: string, @Param('id') id: string): Promise<OutboundView> {
    return this.outbound.get(company, session, id);
  }
}
