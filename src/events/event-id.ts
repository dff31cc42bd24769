import { createHash } from 'node:crypto';

/** The event's id, derived from what changed: a replay of the same change gets the same id. */
export function eventId(company: string, key: string): string {
  return `evt_${createHash('sha256').update(`${company}\u0000${key}`).digest('base64url').slice(0, 24)}`;
}

/** Up to this many events share a page; a cursor is `page × PAGE_CAPACITY + index`. */
export const PAGE_CAPACITY = 1_000;

export function cursorOf(page: number, index: number): number {
  return page * PAGE_CAPACITY + index;
}

export function positionOf(cursor: number): { page: number; index: number } {
  return { page: Math.floor(cursor / PAGE_CAPACITY), index: cursor % PAGE_CAPACITY };
}
