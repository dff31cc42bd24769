import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { LoggedEvent } from './event-types';

interface Events {
  /** Events this process just appended to a company's log, in log order. */
  appended: [company: string, events: LoggedEvent[]];
}

/** In-process notice of appended events: live sockets forward them, webhook dispatchers wake up. */
@Injectable()
export class EventBus extends EventEmitter<Events> {}
