import { io, type Socket } from 'socket.io-client';
import type { LoggedEvent } from '../../src/events/event-types';

export interface LiveClient {
  socket: Socket;
  /** Every `event` received, in arrival order. */
  events: LoggedEvent[];
  close: () => void;
}

export interface Refusal {
  message: string;
  data?: { code: string; message: string; retryAfterSeconds?: number };
}

function open(url: string, auth: Record<string, unknown>, headers?: Record<string, string>): Socket {
  return io(url, { path: '/socket.io', transports: ['websocket'], auth, extraHeaders: headers, reconnection: false, forceNew: true });
}

/** A socket.io-client connection to the live stream, connected (throws with the refusal otherwise). */
export async function connectLive(url: string, auth: Record<string, unknown>, headers?: Record<string, string>): Promise<LiveClient> {
  const socket = open(url, auth, headers);
  const events: LoggedEvent[] = [];
  socket.on('event', (event: LoggedEvent) => events.push(event));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error: Error & Refusal) =>
      reject(Object.assign(new Error(`live connection refused: ${error.message}`), { data: error.data })),
    );
  });
  return { socket, events, close: () => void socket.disconnect() };
}

/** What the server answered to a handshake it refused (fails when it accepted it). */
export async function refusalOf(url: string, auth: Record<string, unknown>, headers?: Record<string, string>): Promise<Refusal> {
  const socket = open(url, auth, headers);
  try {
    return await new Promise<Refusal>((resolve, reject) => {
      socket.once('connect', () => reject(new Error('the handshake was accepted')));
      socket.once('connect_error', (error: Error & Refusal) => resolve({ message: error.message, data: error.data }));
    });
  } finally {
    socket.disconnect();
  }
}
