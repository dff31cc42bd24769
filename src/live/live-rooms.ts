import type { EventType, LoggedEvent } from '../events/event-types';

/** Every company at once: the admin's default scope. */
export const ALL_COMPANIES = '*';

/**
 * Socket.IO room names. A socket joins `company:<slug>` (every event of that company) or, when it asked
 * for some types only, `company:<slug>:<type>` for each; the admin's "every company" is `companies:*`.
 * An event is broadcast once to the four rooms that may want it; a socket in several gets it once.
 */
export function roomOf(company: string, type?: EventType): string {
  const scope = company === ALL_COMPANIES ? 'companies:*' : `company:${company}`;
  return type ? `${scope}:${type}` : scope;
}

/** The rooms a socket joins to follow `companies` (or every company), all types or only `types`. */
export function roomsToJoin(companies: readonly string[] | typeof ALL_COMPANIES, types?: readonly EventType[]): string[] {
  const scopes = companies === ALL_COMPANIES ? [ALL_COMPANIES] : [...new Set(companies)];
  return scopes.flatMap((company) => (types?.length ? [...new Set(types)].map((type) => roomOf(company, type)) : [roomOf(company)]));
}

/** The rooms an event is broadcast to. */
export function roomsFor(event: Pick<LoggedEvent, 'company' | 'type'>): string[] {
  return [roomOf(event.company), roomOf(event.company, event.type), roomOf(ALL_COMPANIES), roomOf(ALL_COMPANIES, event.type)];
}
