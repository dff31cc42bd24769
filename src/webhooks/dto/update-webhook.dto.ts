import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import type { EventType } from '../../events/event-types';
import { WebhookSessions, WebhookTypes, WebhookUrl } from './webhook-fields';

/** Only what is sent changes; `types` or `sessions` set to null go back to "all". */
export class UpdateWebhookDto {
  @ApiPropertyOptional({ example: 'https://crm.example.com/hooks/virtual-voices' })
  @IsOptional()
  @WebhookUrl()
  url?: string;

  @WebhookTypes()
  types?: EventType[] | null;

  @WebhookSessions()
  sessions?: string[] | null;
}
