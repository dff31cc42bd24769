import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnvironment } from '../core/config/environment.schema';

export const metricsConfig = registerAs('metrics', () => {
  const e = validateEnvironment(process.env);
  return { token: e.METRICS_TOKEN, port: e.METRICS_PORT, production: e.NODE_ENV === 'production' };
});

export type MetricsConfig = ConfigType<typeof metricsConfig>;
