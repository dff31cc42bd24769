import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { AppVariables } from './environment/app.env';
import { DatabaseVariables } from './environment/database.env';
import { EdgeVariables } from './environment/edge.env';
import { EventsVariables } from './environment/events.env';
import { HttpVariables } from './environment/http.env';
import { IngestVariables } from './environment/ingest.env';
import { LiveVariables } from './environment/live.env';
import { MediaVariables } from './environment/media.env';
import { ProvidersVariables } from './environment/providers.env';
import { SessionsAndMessagingVariables } from './environment/sessions.env';
import { StatsVariables } from './environment/stats.env';
import { WebhooksVariables } from './environment/webhooks.env';

/** One class per namespace; each file in `environment/` documents its keys, `.env.example` documents each one. */
export const ENVIRONMENT_SECTIONS = [
  AppVariables,
  HttpVariables,
  DatabaseVariables,
  IngestVariables,
  ProvidersVariables,
  SessionsAndMessagingVariables,
  EventsVariables,
  LiveVariables,
  MediaVariables,
  StatsVariables,
  WebhooksVariables,
  EdgeVariables,
] as const;

type Section = InstanceType<(typeof ENVIRONMENT_SECTIONS)[number]>;
type Intersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;

/** Every environment variable the service reads, with its default. */
export type EnvironmentVariables = Intersection<Section>;

/** Every key the service reads, in section order. */
export function environmentKeys(): string[] {
  return ENVIRONMENT_SECTIONS.flatMap((section) => [...keysOf(section)]);
}

/** Validates the whole environment at once and fails listing every bad key. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== '' && value !== undefined));
  const problems: string[] = [];
  const sections = ENVIRONMENT_SECTIONS.map((Section) => {
    const keys = keysOf(Section);
    const own = Object.fromEntries(Object.entries(present).filter(([key]) => keys.has(key)));
    const section = plainToInstance(Section as new () => object, own, { enableImplicitConversion: true });
    for (const error of validateSync(section, { skipMissingProperties: false, whitelist: false })) {
      problems.push(`  ${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`);
    }
    return section;
  });
  if (problems.length > 0) throw new Error(`Invalid environment (${problems.length} problem(s)):\n${problems.join('\n')}`);
  return Object.assign({}, ...sections) as EnvironmentVariables;
}

/** The keys a section declares: every property carries at least one validator. */
export function keysOf(section: new () => object): Set<string> {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(section, '', true, false);
  return new Set(metadata.map((entry) => entry.propertyName));
}
