import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { AdminOnly } from '../../auth/auth.decorators';
import { sessionsConfig, type SessionsConfig } from '../../core/config/configuration';
import { CompaniesService } from '../../tenancy/companies.service';
import { SimulatorAdapter } from './simulator.adapter';

class SimulatedInboundDto {
  @IsString() @Length(1, 128)
  providerMessageId: string;

  @IsString() @Length(6, 40)
  from: string;

  @IsOptional() @IsString() @Length(0, 4096)
  text?: string;

  @IsOptional() @IsString() @Length(1, 100)
  senderName?: string;
}

class SimulatedInboundBatchDto {
  @IsArray() @ArrayMaxSize(5_000) @ValidateNested({ each: true }) @Type(() => SimulatedInboundDto)
  messages: SimulatedInboundDto[];
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
    private readonly companies: CompaniesService,
    @Inject(sessionsConfig.KEY) private readonly config: SessionsConfig,
  ) {}

  @Post('scan')
  @HttpCode(204)
  async scan(@Param('company') company: string, @Param('session') session: string): Promise<void> {
    this.assertEnabled();
    await this.simulator.scan(await this.companies.get(company), session);
  }

  @Post('inbound')
  @HttpCode(202)
  inbound(@Param('company') company: string, @Param('session') session: string, @Body() body: SimulatedInboundBatchDto): { delivered: number } {
    this.assertEnabled();
    let delivered = 0;
    for (const message of body.messages) {
      const event = { ...message, to: '+10000000000', timestamp: new Date() };
      if (this.simulator.inject(company, session, { type: 'message', message: event })) delivered++;
    }
    return { delivered };
  }

  @Get('sent')
  sent(@Param('company') company: string, @Param('session') session: string): Array<{ providerMessageId: string; to: string }> {
    this.assertEnabled();
    return this.simulator.sent.filter((s) => s.company === company && s.session === session).map(({ providerMessageId, to }) => ({ providerMessageId, to }));
  }

  private assertEnabled(): void {
    if (this.config.providerOverride !== 'simulator') throw new NotFoundException();
  }
}
