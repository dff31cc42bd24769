import type { INestApplication } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { Server, type ServerOptions } from 'socket.io';
import type { LiveConfig } from './live.config';

type NestIoServer = ReturnType<IoAdapter['createIOServer']>;

/**
 * Socket.IO on the HTTP server's port with the live stream's settings: websocket transport only (no
 * long-polling, so no sticky sessions are needed behind a load balancer), the configured heartbeat and
 * largest client message. Without Redis the default in-memory adapter serves this process's sockets.
 */
export class LiveIoAdapter extends IoAdapter {
  constructor(
    app: INestApplication,
    private readonly live: LiveConfig,
  ) {
    super(app);
  }

  /** Built with the project's socket.io (Nest's adapter bundles its own copy, which the Redis adapter is not typed for). */
  override createIOServer(port: number, options?: object): NestIoServer {
    const settings: Partial<ServerOptions> = {
      ...options,
      ...this.extraOptions(),
      path: this.live.path,
      transports: ['websocket'],
      pingInterval: this.live.pingIntervalMs,
      pingTimeout: this.live.pingTimeoutMs,
      maxHttpBufferSize: this.live.maxPayloadBytes,
      serveClient: false,
    };
    const server = this.httpServer && port === 0 ? new Server(this.httpServer, settings) : new Server(port, settings);
    return server as unknown as NestIoServer;
  }

  /** What a subclass adds to the server's options (the Redis adapter). */
  protected extraOptions(): Partial<ServerOptions> {
    return {};
  }
}
