import type { LoggedEvent } from '../../events/event-types';
import { DeliveryWindow } from './delivery-window';

const event = (cursor: number, session?: string): LoggedEvent => ({
  id: `evt_${cursor}`,
  cursor,
  type: 'message.received',
  company: 'acme',
  ...(session === undefined ? {} : { session }),
  timestamp: new Date(1_000 * cursor).toISOString(),
  data: {},
});

const all = () => true;
const options = { capacity: 5, retry: { baseMs: 100, maxMs: 1_000, horizonMs: 10_000 }, random: () => 1 };

describe('delivery window', () => {
  it('sends one event per session at a time, in log order, sessions in parallel', () => {
    const window = new DeliveryWindow(0, options);
    window.add([event(1, 'a'), event(2, 'a'), event(3, 'b'), event(4), event(5, 'b')], 5, all, 0);

    const first = window.takeDue(0, 10);
    expect(first.map((d) => d.event.cursor)).toEqual([1, 3, 4]);
    expect(window.takeDue(0, 10)).toEqual([]);

    window.settle(first[1]);
    expect(window.takeDue(0, 10).map((d) => d.event.cursor)).toEqual([5]);
  });

  it('takes no more than the free slots, oldest heads first', () => {
    const window = new DeliveryWindow(0, options);
    window.add([event(1, 'a'), event(2, 'b'), event(3, 'c')], 3, all, 0);
    expect(window.takeDue(0, 2).map((d) => d.event.cursor)).toEqual([1, 2]);
    expect(window.inFlight).toBe(2);
  });

  it('persists only up to the last event with nothing pending before it', () => {
    const window = new DeliveryWindow(10, options);
    window.add([event(11, 'a'), event(12, 'b'), event(13, 'a')], 13, all, 0);
    const [a, b] = window.takeDue(0, 10);
    window.settle(b);
    expect(window.safeCursor).toBe(10);
    window.settle(a);
    expect(window.safeCursor).toBe(12);
    window.settle(window.takeDue(0, 10)[0]);
    expect(window.safeCursor).toBe(13);
    expect(window.size).toBe(0);
  });

  it('counts filtered events as done, and moves past what the read skipped', () => {
    const window = new DeliveryWindow(0, options);
    window.add([event(1, 'a'), event(2, 'other'), event(3, 'a')], 9, (e) => e.session === 'a', 0);
    expect(window.size).toBe(2);
    const [head] = window.takeDue(0, 10);
    window.settle(head);
    expect(window.safeCursor).toBe(2);
    window.settle(window.takeDue(0, 10)[0]);
    expect(window.safeCursor).toBe(9);
    expect(window.readCursor).toBe(9);
  });

  it('ignores events at or before the read cursor (a read repeated after a restart)', () => {
    const window = new DeliveryWindow(5, options);
    window.add([event(4, 'a'), event(5, 'a'), event(6, 'a')], 6, all, 0);
    expect(window.size).toBe(1);
  });

  it('bounds what it holds', () => {
    const window = new DeliveryWindow(0, options);
    window.add(
      [1, 2, 3].map((c) => event(c, 'a')),
      3,
      all,
      0,
    );
    expect(window.room).toBe(2);
  });

  it('retries a failed head after a growing backoff, holding the rest of its lane', () => {
    const window = new DeliveryWindow(0, options);
    window.add([event(1, 'a'), event(2, 'a')], 2, all, 0);
    const [head] = window.takeDue(0, 10);
    window.failed(head, 1_000, { status: 503, error: 'HTTP 503' });
    expect(window.takeDue(1_099, 10)).toEqual([]);
    expect(window.nextWakeAt()).toBe(1_100);
    expect(window.takeDue(1_100, 10)).toEqual([head]);
    window.failed(head, 1_100, { status: 503, error: 'HTTP 503' });
    expect(window.nextWakeAt()).toBe(1_300);
    expect(head).toMatchObject({ attempts: 2, firstFailedAt: 1_000, lastStatus: 503 });
  });

  it('gives up on a head once the horizon has passed since it first failed, then moves the lane on', () => {
    const window = new DeliveryWindow(0, options);
    window.add([event(1, 'a'), event(2, 'a')], 2, all, 0);
    const [head] = window.takeDue(0, 10);
    window.failed(head, 1_000, { error: 'connection refused' });
    expect(window.takeExpired(10_999)).toEqual([]);
    expect(window.nextWakeAt()).toBe(1_100);
    expect(window.takeDue(10_999, 10)).toEqual([head]);
    window.failed(head, 11_000, { error: 'connection refused' });
    expect(window.takeDue(11_000, 10)).toEqual([]);
    const [expired] = window.takeExpired(11_000);
    expect(expired).toBe(head);
    expect(window.takeDue(11_000, 10)).toEqual([]);
    window.settle(expired);
    expect(window.takeDue(11_000, 10).map((d) => d.event.cursor)).toEqual([2]);
    expect(window.safeCursor).toBe(1);
  });

  it('puts off a dead letter that could not be stored, as asked', () => {
    const window = new DeliveryWindow(0, options);
    window.add([event(1, 'a')], 1, all, 0);
    const [head] = window.takeDue(0, 10);
    window.failed(head, 0, { error: 'HTTP 500' });
    const [expired] = window.takeExpired(10_000);
    window.release(expired, 11_000);
    expect(window.takeExpired(10_500)).toEqual([]);
    expect(window.nextWakeAt({ includeDue: false })).toBe(11_000);
    expect(window.takeExpired(11_000)).toEqual([head]);
  });

  it('starts the horizon of heads held back by an open breaker, without counting a try', () => {
    const window = new DeliveryWindow(0, options);
    window.add([event(1, 'a'), event(2, 'b')], 2, all, 0);
    window.hold(500, 'circuit open');
    window.hold(900, 'circuit open');
    expect(window.takeExpired(10_500).map((d) => [d.event.cursor, d.attempts, d.lastError])).toEqual([
      [1, 0, 'circuit open'],
      [2, 0, 'circuit open'],
    ]);
  });

  it('puts back a delivery that was not tried, due no earlier than asked', () => {
    const window = new DeliveryWindow(0, options);
    window.add([event(1, 'a')], 1, all, 0);
    const [head] = window.takeDue(0, 10);
    window.release(head, 2_000);
    expect(window.inFlight).toBe(0);
    expect(window.takeDue(1_999, 10)).toEqual([]);
    expect(window.takeDue(2_000, 10)).toEqual([head]);
  });

  it('refuses to settle anything but a lane head', () => {
    const window = new DeliveryWindow(0, options);
    window.add([event(1, 'a'), event(2, 'a')], 2, all, 0);
    const second = { ...window.takeDue(0, 10)[0], event: event(2, 'a') };
    expect(() => window.settle(second)).toThrow(/out of lane order/);
  });

  it('reports the oldest pending event time', () => {
    const window = new DeliveryWindow(0, options);
    expect(window.oldestPendingAt()).toBeUndefined();
    window.add([event(3, 'a'), event(4, 'b'), event(5, 'a')], 5, all, 0);
    expect(window.oldestPendingAt()).toBe(3_000);
  });
});

describe('delivery window wake-ups', () => {
  it('counts only expiries when nothing may be sent', () => {
    const window = new DeliveryWindow(0, options);
    window.add([event(1, 'a'), event(2, 'b')], 2, all, 0);
    expect(window.nextWakeAt()).toBe(0);
    expect(window.nextWakeAt({ includeDue: false })).toBeUndefined();
    window.hold(100, 'circuit open');
    expect(window.nextWakeAt({ includeDue: false })).toBe(10_100);
  });
});
