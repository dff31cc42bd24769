import { ApiProperty } from '@nestjs/swagger';
import type { EventType } from '../../events/event-types';
import { WebhookSessions, WebhookTypes, WebhookUrl } from './webhook-fields';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://crm.example.com/hooks/virtual-voices' })
  @WebhookUrl()
  url: string;

  @WebhookTypes()
  types?: EventType[];

  @WebhookSessions()
  sessions?: string[];
}
