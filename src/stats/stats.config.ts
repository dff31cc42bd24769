import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnvironment } from '../core/config/environment.schema';

export const statsConfig = registerAs('stats', () => {
  const e = validateEnvironment(process.env);
  return { sampleIntervalMs: e.STATS_SAMPLE_INTERVAL_MS, cacheMs: e.STATS_CACHE_MS };
});

export type StatsConfig = ConfigType<typeof statsConfig>;
