import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { mongo } from 'mongoose';
import { settleWithin } from '../async/settle-within';

// The driver's connection class is internal; patches/mongodb+*.patch changes how it writes.
const { Connection } = require('mongodb/lib/cmap/connection') as { Connection: new (socket: Socket, options: object) => DriverConnection };

interface DriverConnection {
  writeCommand(command: { toBin(): Promise<Uint8Array[]> }, options: { agreedCompressor: 'none' }): Promise<void>;
  destroy(): void;
}

/** How long a write may take to fail once its connection is gone; it used to wait forever. */
const FAILS_WITHIN_MS = 5_000;

const command = (bytes: number) => ({ toBin: () => Promise.resolve([Buffer.alloc(bytes)]) });

describe('the MongoDB driver writing on a connection that closes (patches/mongodb+7.8.0.patch)', () => {
  let server: Server;
  const peers: Socket[] = [];

  beforeAll(async () => {
    // A peer that never reads, so a large write has to wait for 'drain'.
    server = createServer((peer) => {
      peer.pause();
      peers.push(peer);
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
  });

  afterAll(async () => {
    peers.forEach((peer) => peer.destroy());
    await new Promise((resolve) => server.close(resolve));
  });

  const open = async (id: number): Promise<DriverConnection> => {
    const { port } = server.address() as { port: number };
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new Connection(socket, { id, generation: 0 });
  };

  it('fails a command whose connection closed while it was being serialized (the server went away)', async () => {
    const connection = await open(1);
    const written = connection.writeCommand(command(64), { agreedCompressor: 'none' });
    written.catch(() => undefined);
    connection.destroy();

    expect(await settleWithin(written, FAILS_WITHIN_MS)).toBe(true);
    await expect(written).rejects.toBeInstanceOf(mongo.MongoNetworkError);
  });

  it('fails a command waiting for the socket to drain when its connection closes', async () => {
    const connection = await open(2);
    const written = connection.writeCommand(command(64 * 1024 * 1024), { agreedCompressor: 'none' });
    written.catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    connection.destroy();

    expect(await settleWithin(written, FAILS_WITHIN_MS)).toBe(true);
    await expect(written).rejects.toBeInstanceOf(mongo.MongoNetworkError);
  });
});
