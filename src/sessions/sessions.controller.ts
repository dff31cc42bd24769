import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CreateSessionDto } from './dto/create-session.dto';
import { PairingCodeDto } from './dto/pairing-code.dto';
import { SessionsService, type SessionView } from './sessions.service';
import { ApiErrors } from '../core/http/openapi/api-errors.decorator';
import type { CompanyRecord } from '../tenancy/company';
import { CurrentCompany } from '../tenancy/http/route-company.decorators';

@ApiTags('sessions')
@ApiSecurity('api-key')
@Controller('api/v1/companies/:company/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @ApiErrors(409)
  create(@CurrentCompany() company: CompanyRecord, @Body() body: CreateSessionDto): Promise<SessionView> {
    return this.sessions.create(company, body.name, body.sender);
  }

  @Get()
  list(@CurrentCompany() company: CompanyRecord): Promise<SessionView[]> {
    return this.sessions.list(company);
  }

  @Get(':session')
  get(@CurrentCompany() company: CompanyRecord, @Param('session') session: string): Promise<SessionView> {
    return this.sessions.get(company, session);
  }

  /** Starts (or resumes) the session; it then moves through STARTING to SCAN_QR or WORKING. */
  @Post(':session/start')
  @HttpCode(202)
  start(@CurrentCompany() company: CompanyRecord, @Param('session') session: string): Promise<SessionView> {
    return this.sessions.start(company, session);
  }

  @Post(':session/stop')
  @HttpCode(200)
  stop(@CurrentCompany() company: CompanyRecord, @Param('session') session: string): Promise<SessionView> {
    return this.sessions.stop(company, session);
  }

  @Post(':session/logout')
  @HttpCode(200)
  logout(@CurrentCompany() company: CompanyRecord, @Param('session') session: string): Promise<SessionView> {
    return this.sessions.logout(company, session);
  }

  @Delete(':session')
  @HttpCode(204)
  remove(@CurrentCompany() company: CompanyRecord, @Param('session') session: string): Promise<void> {
    return this.sessions.remove(company, session);
  }

  @Get(':session/qr')
  @ApiErrors(409)
  qr(@CurrentCompany() company: CompanyRecord, @Param('session') session: string): Promise<{ qr: string; dataUrl: string }> {
    return this.sessions.qr(company, session);
  }

  @Get(':session/qr.png')
  @ApiProduces('image/png')
  @ApiErrors(409)
  async qrPng(@CurrentCompany() company: CompanyRecord, @Param('session') session: string, @Res() response: FastifyReply): Promise<void> {
    await response
      .type('image/png')
      .header('Cache-Control', 'no-store')
      .send(await this.sessions.qrPng(company, session));
  }

  @Post(':session/pairing-code')
  @ApiErrors(409)
  @HttpCode(200)
  pairingCode(@CurrentCompany() company: CompanyRecord, @Param('session') session: string, @Body() body: PairingCodeDto): Promise<{ code: string }> {
    return this.sessions.pairingCode(company, session, body.phone);
  }
}
