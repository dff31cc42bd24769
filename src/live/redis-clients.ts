import { Logger } from '@nestjs/common';
import { createClient } from 'redis';

export type RedisClient = ReturnType<typeof createClient>;

const CONNECT_TIMEOUT_MS = 10_000;
/** Publishes waiting while Redis is unreachable; beyond, they fail (live events are best effort). */
const OFFLINE_QUEUE_LIMIT = 1_000;

/**
 * Connects a client or throws at once: a first connection that fails is not retried, so a wrong
 * REDIS_URL stops the boot. Once connected, a lost connection is retried with capped backoff.
 */
export async function connectRedis(url: string, role: string): Promise<RedisClient> {
  const logger = new Logger(`Redis:${role}`);
  let connected = false;
  const client = createClient({
    url,
    commandsQueueMaxLength: OFFLINE_QUEUE_LIMIT,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: (retries) => (connected ? Math.min(100 * 2 ** retries, 5_000) : false) },
  });
  client.on('error', (error: Error) => {
    if (connected) logger.warn({ err: error }, 'Redis connection lost; reconnecting');
  });
  client.on('ready', () => {
    if (connected) logger.log('Redis connection restored');
  });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`REDIS_URL: cannot connect to ${redacted(url)} (${(error as Error).message || String(error)})`, { cause: error });
  }
  connected = true;
  return client;
}

/**
 * Publish failures (Redis down, offline queue full) resolve instead of rejecting: the Socket.IO adapter
 * does not await its publishes, and an unhandled rejection would end the process. Logged once per outage.
 */
export function tolerantPublish(client: RedisClient): RedisClient {
  const logger = new Logger('Redis:pub');
  const publish = client.publish.bind(client);
  let failing = false;
  const tolerant = (async (...args: Parameters<typeof publish>) => {
    try {
      const receivers = await publish(...args);
      if (failing) logger.log('live fan-out through Redis resumed');
      failing = false;
      return receivers;
    } catch (error) {
      if (!failing) logger.error({ err: error }, "live fan-out through Redis failing: events reach this process's sockets only");
      failing = true;
      return 0;
    }
  }) as typeof client.publish;
  (client as { publish: typeof client.publish }).publish = tolerant;
  return client;
}

function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unparsable URL';
  }
}
