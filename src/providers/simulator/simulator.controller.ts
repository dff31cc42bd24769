import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBase64, IsIn, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { AdminOnly } from '../../auth/auth.decorators';
import { sessionsConfig, type SessionsConfig } from '../../core/config/configuration';
import { AcceptsBody } from '../../core/http/body-policy';
import type { IngestOutcome } from '../../ingest/inbound-item';
import { InboundIntake } from '../../ingest/inbound-intake.service';
import { MEDIA_TYPES, type InboundMessage, type MediaType } from '../provider-events';
import { SessionsException } from '../../sessions/sessions.exception';
import type { CompanyRecord } from '../../tenancy/company';
import { CurrentCompany } from '../../tenancy/http/route-company.decorators';
import { SIMULATED_OWN_NUMBER, SimulatorAdapter } from './simulator.adapter';

class SimulatedMediaDto {
  @IsIn(MEDIA_TYPES)
  type: MediaType;

  @IsString()
  @Length(3, 100)
  mimeType: string;

  /** The bytes, which the simulated WhatsApp keeps for the session's client to download. */
  @IsBase64()
  dataBase64: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  fileName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1024)
  caption?: string;
}

class SimulatedInboundDto {
  @IsString()
  @Length(1, 128)
  providerMessageId: string;

  @IsString()
  @Length(6, 40)
  from: string;

  @IsOptional()
  @IsString()
  @Length(0, 4096)
  text?: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  senderName?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => SimulatedMediaDto)
  media?: SimulatedMediaDto;
}

class SimulatedInboundBatchDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1_000)
  @ValidateNested({ each: true })
  @Type(() => SimulatedInboundDto)
  messages: SimulatedInboundDto[];
}

interface SimulatedInboundResult {
  providerMessageId: string;
  result: IngestOutcome['result'];
  reason?: string;
}

/**
 * Drives the simulator from outside the process (demos, crash tests): scan a QR, deliver inbound
 * messages, read what was "sent". Answers 404 unless SESSIONS_PROVIDER_OVERRIDE is 'simulator'.
 */
@ApiExcludeController()
@AdminOnly()
@Controller('simulator/companies/:company/sessions/:session')
export class SimulatorController {
  constructor(
    private readonly simulator: SimulatorAdapter,
    private readonly intake: InboundIntake,
    @Inject(sessionsConfig.KEY) private readonly config: SessionsConfig,
  ) {}

  @Post('scan')
  @HttpCode(204)
  async scan(@CurrentCompany() company: CompanyRecord, @Param('session') session: string): Promise<void> {
    this.assertEnabled();
    await this.simulator.scan(company, session);
  }

  /**
   * WhatsApp delivering to a running session, with WhatsApp's own rule: a message counts as received
   * only once acknowledged. Answers each message's outcome after the durable write; 503 + Retry-After
   * (nothing lost: redeliver) when the company cannot take or store them now.
   */
  @Post('inbound')
  @HttpCode(200)
  @AcceptsBody({ bulk: true })
  async inbound(
    @CurrentCompany() company: CompanyRecord,
    @Param('session') session: string,
    @Body() body: SimulatedInboundBatchDto,
  ): Promise<{ results: SimulatedInboundResult[] }> {
    this.assertEnabled();
    if (!this.simulator.isRunning(company.slug, session)) throw SessionsException.notReady(session, 'not running in this process');
    const received = new Date();
    const messages: InboundMessage[] = [];
    for (const { media, ...message } of body.messages) {
      const inbound: InboundMessage = { ...message, to: SIMULATED_OWN_NUMBER, timestamp: received };
      if (media) {
        const data = Buffer.from(media.dataBase64, 'base64');
        await this.simulator.holdMedia(company, session, message.providerMessageId, data);
        inbound.media = { type: media.type, mimeType: media.mimeType, sizeBytes: data.length, source: { via: 'client' } };
        if (media.fileName) inbound.media.fileName = media.fileName;
        if (media.caption) inbound.media.caption = media.caption;
      }
      messages.push(inbound);
    }
    const outcomes = await this.intake.store(company, session, messages);
    return { results: outcomes.map((outcome, index) => ({ providerMessageId: messages[index].providerMessageId, ...outcome })) };
  }

  @Get('sent')
  sent(@CurrentCompany() company: CompanyRecord, @Param('session') session: string): Array<{ providerMessageId: string; to: string }> {
    this.assertEnabled();
    return this.simulator.sent
      .filter((s) => s.company === company.slug && s.session === session)
      .map(({ providerMessageId, to }) => ({ providerMessageId, to }));
  }

  private assertEnabled(): void {
    if (this.config.providerOverride !== 'simulator') throw new NotFoundException();
  }
}
