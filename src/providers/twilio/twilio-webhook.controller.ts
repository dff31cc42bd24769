import { Body, Controller, HttpCode, Inject, Logger, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../auth/auth.decorators';
import { ingestConfig, type IngestConfig } from '../../core/config/configuration';
import { TwilioInboundRouter } from './twilio-inbound.router';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { mapTwilioWebhook, type TwilioWebhookForm } from './twilio-webhook.mapper';
import { TWILIO_WEBHOOK_PATH } from './twilio-webhook.route';
import { TwilioException } from './twilio.exception';

const EMPTY_TWIML = '<Response></Response>';

/** Inbound WhatsApp messages and delivery receipts, as Twilio posts them (signed, form-encoded). */
@ApiTags('webhooks')
@Public()
@Controller(TWILIO_WEBHOOK_PATH)
export class TwilioWebhookController {
  private readonly logger = new Logger(TwilioWebhookController.name);

  constructor(
    private readonly router: TwilioInboundRouter,
    @Inject(ingestConfig.KEY) private readonly ingest: IngestConfig,
  ) {}

  // The form is checked by the mapper, not a DTO: Twilio posts many fields we neither list nor want rejected.
  @Post(':company')
  @HttpCode(200)
  @UseGuards(TwilioSignatureGuard)
  @ApiConsumes('application/x-www-form-urlencoded')
  receive(
    @Param('company') company: string,
    @Body() form: TwilioWebhookForm = {},
    @Res({ passthrough: true }) response: Response,
  ): string {
    const mapped = mapTwilioWebhook(form, { defaultRegion: this.ingest.defaultPhoneRegion, receivedAt: new Date() });
    if (!mapped.ok) throw TwilioException.invalidWebhook(mapped.reason);
    if (mapped.event) this.router.deliver(company, mapped.event);
    else this.logger.debug({ company, reason: mapped.ignored }, 'Twilio callback acknowledged without an event');
    // Set here, not with @Header: that would also label the JSON error bodies as XML.
    response.type('text/xml');
    return EMPTY_TWIML;
  }
}
