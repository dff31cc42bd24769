import type { INestApplication } from '@nestjs/common';
import { liveConfig, type LiveConfig } from './live.config';
import { LiveIoAdapter } from './live-io.adapter';
import { RedisIoAdapter } from './redis-io.adapter';

/**
 * Installs the live stream's Socket.IO adapter before the application initialises: through Redis when
 * REDIS_URL is set (throws when it cannot be reached), in memory otherwise. The server and the
 * end-to-end tests both call it, so tests run the production setup.
 */
export async function useLiveStreamAdapter(app: INestApplication): Promise<void> {
  const config = app.get<LiveConfig>(liveConfig.KEY);
  app.useWebSocketAdapter(config.redisUrl ? await RedisIoAdapter.connect(app, config, config.redisUrl) : new LiveIoAdapter(app, config));
}
