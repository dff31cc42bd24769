import { Body, Controller, HttpCode, Inject, Logger, Post, Res, UseGuards } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../auth/auth.decorators';
import { ApiErrors } from '../../core/http/openapi/api-errors.decorator';
import { ingestConfig, type IngestConfig } from '../../core/config/configuration';
import { AcceptsBody } from '../../core/http/body-policy';
import { InboundIntake } from '../../ingest/inbound-intake.service';
import { SessionEvents } from '../../sessions/session-events';
import type { CompanyRecord } from '../../tenancy/company';
import { CurrentCompany } from '../../tenancy/http/route-company.decorators';
import type { ProviderEvent } from '../provider-events';
import { TwilioSessionResolver } from './twilio-session.resolver';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { mapTwilioWebhook, type TwilioWebhookForm } from './twilio-webhook.mapper';
import { TWILIO_WEBHOOK_PATH } from './twilio-webhook.route';
import { TwilioException } from './twilio.exception';

const EMPTY_TWIML = '<Response></Response>';

/**
 * Inbound WhatsApp messages and delivery receipts, as Twilio posts them (signed, form-encoded).
 * Twilio hears 200 only once the message or receipt is durable, whether or not a session runs; any
 * failure to store answers 503, so Twilio's retry (connection overrides) or fallback URL applies.
 */
@ApiTags('webhooks')
@Public()
@Controller(TWILIO_WEBHOOK_PATH)
export class TwilioWebhookController {
  private readonly logger = new Logger(TwilioWebhookController.name);

  constructor(
    private readonly resolver: TwilioSessionResolver,
    private readonly intake: InboundIntake,
    private readonly events: SessionEvents,
    @Inject(ingestConfig.KEY) private readonly ingest: IngestConfig,
  ) {}

  // The form is checked by the mapper, not a DTO: Twilio posts many fields we neither list nor want rejected.
  @Post(':company')
  @HttpCode(200)
  @UseGuards(TwilioSignatureGuard)
  @AcceptsBody({ types: ['application/x-www-form-urlencoded'] })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiErrors(400, 403, 413, 415)
  async receive(
    @CurrentCompany() company: CompanyRecord,
    @Body() form: TwilioWebhookForm = {},
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<string> {
    const mapped = mapTwilioWebhook(form, { defaultRegion: this.ingest.defaultPhoneRegion, receivedAt: new Date() });
    if (!mapped.ok) throw TwilioException.invalidWebhook(mapped.reason);
    if (mapped.event) await this.persist(company, mapped.event, mapped.messagingServiceSid);
    else this.logger.debug({ company: company.slug, reason: mapped.ignored }, 'Twilio callback acknowledged without an event');
    // Set here, not with @Header: that would also label the JSON error bodies as XML.
    response.type('text/xml');
    return EMPTY_TWIML;
  }

  private async persist(company: CompanyRecord, event: ProviderEvent, messagingServiceSid: string | undefined): Promise<void> {
    if (event.type === 'message') {
      const session = await this.resolver.resolve(company.slug, event.message.to, messagingServiceSid);
      await this.intake.store(company, session, [event.message]);
    } else if (event.type === 'status') {
      await this.events.applyStatus({ company, event });
    }
  }
}
