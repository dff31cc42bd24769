import { Logger } from '@nestjs/common';
import type { Types } from 'mongoose';
import type { EventDraft } from '../events/event-types';
import { conversationOf } from './conversation-key';
import type { DurableMessage } from './inbound-item';
import { messageEvent, replayLookback } from './ingest-events';

export interface MessageEventStageDeps {
  company: string;
  defaultRegion: string;
  /** Appends once durable (retrying until shutdown); `replayedSince` marks replayed messages, whose events may be logged already. */
  append(drafts: EventDraft[], replayedSince?: Date): Promise<void>;
}

/**
 * Logs `message.received` / `message.sent` as soon as messages are durable, beside (not behind) the chat
 * and prospect updates, so a webhook does not wait for those writes. Messages count as pending for the
 * derive watermark until their events are appended, so a crash in between is replayed.
 */
export class MessageEventStage {
  private readonly logger = new Logger(MessageEventStage.name);
  /** Messages whose events are not logged yet: in flight, or failed at shutdown (left for the replay). */
  private readonly pending = new Map<string, Types.ObjectId>();
  private inFlight = 0;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(private readonly deps: MessageEventStageDeps) {}

  add(messages: DurableMessage[], replayed = false): void {
    if (messages.length === 0) return;
    for (const { id } of messages) this.pending.set(id.toHexString(), id);
    const drafts = messages.map(({ id, session, message }) => {
      const { direction, phone } = conversationOf(message, this.deps.defaultRegion);
      return messageEvent(id, session, message, direction, phone);
    });
    this.inFlight++;
    this.deps
      .append(drafts, replayed ? replayLookback(messages) : undefined)
      .then(
        () => messages.forEach(({ id }) => this.pending.delete(id.toHexString())),
        (error: Error) =>
          this.logger.error(
            { company: this.deps.company, events: drafts.length, err: error.message },
            'message events not logged; the watermark replay logs them',
          ),
      )
      .finally(() => {
        if (--this.inFlight === 0) for (const resume of this.idleWaiters.splice(0)) resume();
      });
  }

  oldestPendingId(): Types.ObjectId | undefined {
    let oldest: Types.ObjectId | undefined;
    for (const id of this.pending.values()) if (!oldest || id.toHexString() < oldest.toHexString()) oldest = id;
    return oldest;
  }

  /** Resolves when no append is in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resume) => this.idleWaiters.push(resume));
  }
}
