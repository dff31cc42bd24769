import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// `ws` ships with Baileys (no typings installed): only the part these tests use.
interface WsPeer {
  close(): void;
  on(event: 'message', listener: () => void): void;
}
interface WsServer {
  handleUpgrade(request: unknown, socket: Socket, head: Buffer, done: (ws: WsPeer) => void): void;
  close(): void;
}
const { WebSocketServer } = require('ws') as { WebSocketServer: new (options: { noServer: true }) => WsServer };

/**
 * Stands in for WhatsApp's WebSocket: in `close` mode it completes the upgrade and closes at once; in
 * `stall` mode it never answers the upgrade, so the socket stays connecting and sends nothing; in `hold`
 * mode it completes the upgrade and keeps the connection open, answering nothing (`held` is the last one).
 */
export class FakeWhatsApp {
  mode: 'close' | 'stall' | 'hold' = 'close';
  upgrades = 0;
  held?: { ws: WsPeer; received: number };
  private readonly http: Server = createServer();
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly stalled = new Set<Socket>();

  async listen(): Promise<string> {
    this.http.on('upgrade', (request, socket: Socket, head: Buffer) => {
      this.upgrades++;
      if (this.mode === 'close') return this.wss.handleUpgrade(request, socket, head, (ws) => ws.close());
      if (this.mode === 'hold') {
        return this.wss.handleUpgrade(request, socket, head, (ws) => {
          const held = { ws, received: 0 };
          ws.on('message', () => held.received++);
          this.held = held;
        });
      }
      this.stalled.add(socket);
      socket.on('close', () => this.stalled.delete(socket));
    });
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}/ws/chat`;
  }

  async close(): Promise<void> {
    for (const socket of this.stalled) socket.destroy();
    this.wss.close();
    await new Promise((resolve) => this.http.close(resolve));
  }
}
