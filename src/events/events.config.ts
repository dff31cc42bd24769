import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnvironment } from '../core/config/environment.schema';

export const eventsConfig = registerAs('events', () => {
  const e = validateEnvironment(process.env);
  return { retentionMs: e.EVENT_RETENTION_HOURS * 3_600_000, retentionSweepMs: e.EVENT_RETENTION_SWEEP_MS };
});

export type EventsConfig = ConfigType<typeof eventsConfig>;
