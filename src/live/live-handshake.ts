import type { IncomingHttpHeaders } from 'node:http';
import { EVENT_TYPES, type EventType } from '../events/event-types';
import { COMPANY_SLUG_PATTERN } from '../tenancy/company';
import { LiveException } from './live.exception';

const MAX_COMPANIES = 1_000;

/** The parts of a Socket.IO handshake the live stream reads. */
export interface LiveHandshake {
  auth: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  address: string;
}

/** What a client asks to follow: some companies (admin only) and some event types; absent means all. */
export interface LiveScope {
  companies?: string[];
  types?: EventType[];
}

/** `auth.apiKey`, else the `X-API-Key` header (clients that cannot set `auth`). */
export function presentedKey(handshake: LiveHandshake): string | undefined {
  const fromAuth = handshake.auth?.apiKey;
  if (typeof fromAuth === 'string' && fromAuth !== '') return fromAuth;
  const header = handshake.headers['x-api-key'];
  const value = Array.isArray(header) ? header[0] : header;
  return value === '' ? undefined : value;
}

/** Reads `auth.companies` and `auth.types`; throws VALIDATION_FAILED naming what is wrong. */
export function requestedScope(auth: Record<string, unknown> | undefined): LiveScope {
  const scope: LiveScope = {};
  const companies = auth?.companies;
  if (companies !== undefined) {
    if (!isList(companies) || companies.some((slug) => !COMPANY_SLUG_PATTERN.test(slug))) {
      throw LiveException.invalidHandshake(`companies must be a list of 1 to ${MAX_COMPANIES} company slugs`);
    }
    scope.companies = companies;
  }
  const types = auth?.types;
  if (types !== undefined) {
    if (!isList(types) || types.some((type) => !(EVENT_TYPES as readonly string[]).includes(type))) {
      throw LiveException.invalidHandshake(`types must be a non-empty list of: ${EVENT_TYPES.join(', ')}`);
    }
    scope.types = types as EventType[];
  }
  return scope;
}

function isList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.length <= MAX_COMPANIES && value.every((item) => typeof item === 'string');
}
