import { createHash } from 'node:crypto';

/** The event's id, derived from what changed: a replay of the same change gets the same id. */
export function eventId(company: string, key: string): string {
  return `evt_${createHash('sha256').update(`${company}\u0000${key}`).digest('base64url').slice(0, 24)}`;
}
