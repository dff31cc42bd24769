import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { InboundMessage, ProviderEvent } from '../providers/provider-events';
import type { SessionStatus } from './session-status';

export interface SessionTransition {
  company: string;
  session: string;
  status: SessionStatus;
  reason?: string;
  at: Date;
}

export interface SessionInbound {
  company: string;
  session: string;
  message: InboundMessage;
}

export interface SessionProviderEvent {
  company: string;
  session: string;
  event: ProviderEvent;
}

interface Events {
  transition: [SessionTransition];
  inbound: [SessionInbound];
  provider: [SessionProviderEvent];
}

/** In-process bus for what sessions report: status transitions, inbound messages, every provider event. */
@Injectable()
export class SessionEvents extends EventEmitter<Events> {}
