import type { Types } from 'mongoose';
import type { EventDraft } from '../events/event-types';
import type { ProspectUpsert, UpsertResult } from '../prospects/prospect';
import type { InboundMessage } from '../providers/provider-events';
import type { DurableMessage } from './inbound-item';
import { extrasOf, storedMediaOf } from './message-record';

/** Clocks of processes differ a little: a replay looks this much further back for events already logged. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** `message.received` or, for messages we or an agent on the phone sent, `message.sent`; keyed by the stored message. */
export function messageEvent(id: Types.ObjectId, session: string, message: InboundMessage, direction: 'inbound' | 'outbound', phone: string): EventDraft {
  const data: Record<string, unknown> = {
    messageId: id.toHexString(),
    providerMessageId: message.providerMessageId,
    direction,
    phone,
    from: message.from,
    to: message.to,
    timestamp: message.timestamp.toISOString(),
  };
  if (message.text !== undefined) data.text = message.text;
  if (message.media) data.media = storedMediaOf(message.media);
  if (message.senderName) data.senderName = message.senderName;
  Object.assign(data, extrasOf(message));
  return {
    key: `message:${id.toHexString()}`,
    type: direction === 'inbound' ? 'message.received' : 'message.sent',
    session,
    occurredAt: message.timestamp,
    data,
  };
}

/** One event per prospect written: created or updated, keyed by the message that moved it. */
export function prospectEvents(upserts: ProspectUpsert[], results: Map<ProspectUpsert, UpsertResult>): EventDraft[] {
  const drafts: EventDraft[] = [];
  for (const upsert of upserts) {
    const result = results.get(upsert);
    const at = upsert.max?.lastMessageAt;
    if (!result || !at) continue;
    const data: Record<string, unknown> = { number: upsert.number, lastSession: upsert.set?.lastSession, lastMessageAt: at.toISOString() };
    if (upsert.setOnInsert?.name) data.name = upsert.setOnInsert.name;
    drafts.push({
      key: `prospect:${upsert.number}:${at.getTime()}`,
      type: result === 'created' ? 'prospect.created' : 'prospect.updated',
      occurredAt: at,
      data,
    });
  }
  return drafts;
}

/** How far back a replay of these messages must look for their events: from the oldest one's storing. */
export function replayLookback(messages: DurableMessage[]): Date {
  const oldest = Math.min(...messages.map((durable) => durable.id.getTimestamp().getTime()));
  return new Date(oldest - CLOCK_SKEW_MS);
}
