import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnvironment } from '../core/config/environment.schema';

export const liveConfig = registerAs('live', () => {
  const e = validateEnvironment(process.env);
  return {
    redisUrl: e.REDIS_URL,
    path: e.LIVE_PATH,
    pingIntervalMs: e.LIVE_PING_INTERVAL_MS,
    pingTimeoutMs: e.LIVE_PING_TIMEOUT_MS,
    maxPayloadBytes: e.LIVE_MAX_PAYLOAD_BYTES,
    maxSocketsPerCompany: e.LIVE_MAX_SOCKETS_PER_COMPANY,
  };
});

export type LiveConfig = ConfigType<typeof liveConfig>;
