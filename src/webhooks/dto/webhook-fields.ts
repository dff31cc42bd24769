import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsUrl, Matches, MaxLength } from 'class-validator';
import { EVENT_TYPES } from '../../events/event-types';
import { SESSION_NAME_PATTERN } from '../../sessions/session-status';

export const MAX_SESSIONS_PER_WEBHOOK = 100;

export const WebhookUrl = () =>
  applyDecorators(
    IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' }),
    MaxLength(2_048),
  );

/** Absent on create: every type. `null` on update: every type again. */
export const WebhookTypes = () =>
  applyDecorators(
    ApiPropertyOptional({ enum: EVENT_TYPES, isArray: true, nullable: true, description: 'Event types to receive; omitted or null: all' }),
    IsOptional(),
    IsArray(),
    ArrayMinSize(1),
    ArrayUnique(),
    IsIn(EVENT_TYPES, { each: true, message: `each value in types must be one of: ${EVENT_TYPES.join(', ')}` }),
  );

/** Absent on create: every session. `null` on update: every session again. */
export const WebhookSessions = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: [String],
      nullable: true,
      description: 'Only events of these sessions; omitted or null: all (events without a session then too)',
    }),
    IsOptional(),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_SESSIONS_PER_WEBHOOK),
    ArrayUnique(),
    Matches(SESSION_NAME_PATTERN, { each: true, message: 'each value in sessions must be a session name' }),
  );
