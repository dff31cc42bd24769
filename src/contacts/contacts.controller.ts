import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ContactsService } from './contacts.service';
import { CheckContactsDto, ContactCheckView, ContactProfileView } from './dto/check-contacts.dto';
import { ApiErrors } from '../core/http/openapi/api-errors.decorator';
import { Tenant } from '../tenancy/http/route-company.decorators';
import type { TenantContext } from '../tenancy/tenant-context';

@ApiTags('contacts')
@ApiSecurity('api-key')
@ApiErrors(400, 409, 422)
@Controller('api/v1/companies/:company/sessions/:session/contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  /**
   * Whether numbers are on WhatsApp (up to 50), in the order given. Cached; what is not cached counts against a
   * per-session rate limit (429 RATE_LIMITED with Retry-After). Answered by the process running the session (409 elsewhere).
   */
  @Post('check')
  @HttpCode(200)
  @ApiOkResponse({ type: ContactCheckView, isArray: true })
  async check(@Tenant() tenant: TenantContext, @Param('session') session: string, @Body() body: CheckContactsDto): Promise<{ results: ContactCheckView[] }> {
    return { results: await this.contacts.check(tenant, session, body.numbers) };
  }

  /** Profile name and picture URL, as far as WhatsApp shows them. */
  @Get(':phone/profile')
  @ApiOkResponse({ type: ContactProfileView })
  profile(@Tenant() tenant: TenantContext, @Param('session') session: string, @Param('phone') phone: string): Promise<ContactProfileView> {
    return this.contacts.profile(tenant, session, phone);
  }
}
