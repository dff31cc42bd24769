import type { LiveConfig } from './live.config';
import { EventBus } from '../events/event-bus';
import type { LoggedEvent } from '../events/event-types';
import type { MetricsService } from '../metrics/metrics.service';
import { Registry } from 'prom-client';
import type { LiveAccess } from './live-access';
import { LIVE_EVENT, LiveEventsGateway } from './live-events.gateway';
import { LiveMetrics } from './live.metrics';

const event = (company: string, cursor: number): LoggedEvent => ({
  id: `${company}-${cursor}`,
  cursor,
  type: 'message.received',
  company,
  timestamp: new Date(0).toISOString(),
  data: { text: `hello ${cursor}` },
});

describe('LiveEventsGateway', () => {
  const registry = new Registry();
  const metrics = new LiveMetrics({ registry } as MetricsService);
  const bus = new EventBus();
  const access = { admit: async () => ({ holder: 'acme', rooms: ['company:acme'] }) } as unknown as LiveAccess;
  const gateway = new LiveEventsGateway(bus, access, metrics, { maxSocketsPerCompany: 2 } as LiveConfig);
  const emitted: Array<{ rooms: string[]; name: string; payload: unknown }> = [];
  /** The rooms local sockets have joined, as Socket.IO's in-memory adapter keeps them. */
  const joined = new Map([['company:acme', new Set(['socket-1'])]]);
  const server = {
    sockets: { adapter: { rooms: joined } },
    to: (rooms: string[]) => ({ emit: (name: string, payload: unknown) => emitted.push({ rooms, name, payload }) }),
  };
  (gateway as unknown as { server: unknown }).server = server;

  beforeAll(() => gateway.onModuleInit());
  afterAll(() => gateway.onModuleDestroy());

  it('broadcasts each appended event, as logged, to its company rooms in log order', async () => {
    bus.emit('appended', 'acme', [event('acme', 1), event('acme', 2)]);
    expect(emitted.map((e) => [e.name, (e.payload as LoggedEvent).id])).toEqual([
      [LIVE_EVENT, 'acme-1'],
      [LIVE_EVENT, 'acme-2'],
    ]);
    expect(emitted[0].payload).toEqual(event('acme', 1));
    expect(emitted[0].rooms).toEqual(['company:acme', 'company:acme:message.received', 'companies:*', 'companies:*:message.received']);
    expect(await registry.getSingleMetricAsString('vv_live_events_emitted_total')).toContain('vv_live_events_emitted_total{company="acme"} 2');
  });

  it('does not broadcast an event no socket follows when every socket is local (no Redis)', () => {
    emitted.length = 0;
    bus.emit('appended', 'globex', [event('globex', 1)]);
    expect(emitted).toEqual([]);
    joined.set('companies:*:message.received', new Set(['socket-2']));
    bus.emit('appended', 'globex', [event('globex', 2)]);
    expect(emitted.map((e) => (e.payload as LoggedEvent).id)).toEqual(['globex-2']);
    joined.delete('companies:*:message.received');
  });

  it('broadcasts every event through Redis, where other processes may have its followers', () => {
    const redisBus = new EventBus();
    const viaRedis = new LiveEventsGateway(redisBus, access, new LiveMetrics({ registry: new Registry() } as MetricsService), {
      maxSocketsPerCompany: 2,
      redisUrl: 'redis://127.0.0.1:6379',
    } as LiveConfig);
    const sent: string[] = [];
    (viaRedis as unknown as { server: unknown }).server = {
      sockets: { adapter: { rooms: new Map() } },
      to: () => ({ emit: (_name: string, payload: LoggedEvent) => sent.push(payload.id) }),
    };
    viaRedis.onModuleInit();
    redisBus.emit('appended', 'globex', [event('globex', 3)]);
    viaRedis.onModuleDestroy();
    expect(sent).toEqual(['globex-3']);
  });

  it('stops forwarding once the module is destroyed', () => {
    gateway.onModuleDestroy();
    emitted.length = 0;
    bus.emit('appended', 'acme', [event('acme', 3)]);
    expect(emitted).toEqual([]);
    gateway.onModuleInit();
  });

  it('counts open sockets per holder and refuses a handshake beyond the cap with RATE_LIMITED', async () => {
    let middleware: (socket: unknown, next: (error?: Error & { data?: { code: string } }) => void) => void = () => undefined;
    gateway.afterInit({ use: (fn: typeof middleware) => (middleware = fn) } as never);
    const handshake = () =>
      new Promise<{ socket: { data: Record<string, unknown>; join: () => void }; error?: Error & { data?: { code: string } } }>((resolve) => {
        const socket = { handshake: {}, data: {}, join: () => undefined };
        middleware(socket, (error) => resolve({ socket, error }));
      });
    const admitted = [await handshake(), await handshake()];
    for (const { socket, error } of admitted) {
      expect(error).toBeUndefined();
      gateway.handleConnection(socket as never);
    }
    expect(await registry.getSingleMetricAsString('vv_live_sockets')).toContain('vv_live_sockets{company="acme"} 2');
    expect((await handshake()).error?.data?.code).toBe('RATE_LIMITED');

    gateway.handleDisconnect(admitted[0].socket as never);
    const third = await handshake();
    expect(third.error).toBeUndefined();
    gateway.handleConnection(third.socket as never);
    for (const { socket } of [admitted[1], third]) gateway.handleDisconnect(socket as never);
    expect(await registry.getSingleMetricAsString('vv_live_sockets')).not.toContain('company="acme"');
  });
});
