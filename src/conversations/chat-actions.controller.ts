import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiProperty, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { ChatActionsService } from './chat-actions.service';
import { ApiErrors } from '../core/http/openapi/api-errors.decorator';
import type { CompanyRecord } from '../tenancy/company';
import { CurrentCompany, Tenant } from '../tenancy/http/route-company.decorators';
import type { TenantContext } from '../tenancy/tenant-context';

class TypingDto {
  @ApiProperty({ required: false, default: true, description: 'false clears the indicator' })
  @IsOptional()
  @IsBoolean()
  typing?: boolean;
}

@ApiTags('conversations')
@ApiSecurity('api-key')
@ApiErrors(400, 409, 422)
@Controller('api/v1/companies/:company/sessions/:session/chats/:phone')
export class ChatActionsController {
  constructor(private readonly actions: ChatActionsService) {}

  /** Marks the chat read (read receipts for the customer's latest messages). Sending never does it by itself. */
  @Post('read')
  @HttpCode(200)
  read(@Tenant() tenant: TenantContext, @Param('session') session: string, @Param('phone') phone: string): Promise<{ read: number }> {
    return this.actions.markRead(tenant, session, phone);
  }

  /** Shows "typing…" to the customer (or clears it with `typing: false`); WhatsApp clears it by itself after a while. */
  @Post('typing')
  @HttpCode(204)
  async typing(
    @CurrentCompany() company: CompanyRecord,
    @Param('session') session: string,
    @Param('phone') phone: string,
    @Body() body: TypingDto,
  ): Promise<void> {
    await this.actions.typing(company, session, phone, body.typing ?? true);
  }
}
