import type { INestApplication } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-adapter';
import type { ServerOptions } from 'socket.io';
import type { LiveConfig } from './live.config';
import { LiveIoAdapter } from './live-io.adapter';
import { connectRedis, tolerantPublish, type RedisClient } from './redis-clients';

/**
 * The live stream across processes: every broadcast is also published to Redis, and each process
 * delivers what the others publish to its own sockets (Socket.IO Redis adapter, node-redis clients).
 */
export class RedisIoAdapter extends LiveIoAdapter {
  private constructor(
    app: INestApplication,
    live: LiveConfig,
    private readonly pub: RedisClient,
    private readonly sub: RedisClient,
  ) {
    super(app, live);
  }

  /** Connects both clients first; throws, naming REDIS_URL, when Redis cannot be reached. */
  static async connect(app: INestApplication, live: LiveConfig, url: string): Promise<RedisIoAdapter> {
    const [pub, sub] = await Promise.allSettled([connectRedis(url, 'pub'), connectRedis(url, 'sub')]);
    if (pub.status === 'fulfilled' && sub.status === 'fulfilled') return new RedisIoAdapter(app, live, tolerantPublish(pub.value), sub.value);
    await Promise.allSettled([pub, sub].flatMap((client) => (client.status === 'fulfilled' ? [client.value.close()] : [])));
    throw (pub.status === 'rejected' ? pub.reason : (sub as PromiseRejectedResult).reason) as Error;
  }

  protected override extraOptions(): Partial<ServerOptions> {
    return { adapter: createAdapter(this.pub, this.sub) };
  }

  /** Called by Nest after the Socket.IO server closed (application shutdown). */
  override async dispose(): Promise<void> {
    await Promise.allSettled([this.pub.close(), this.sub.close()]);
  }
}
