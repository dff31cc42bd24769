import { Logger } from '@nestjs/common';
import type { ProviderEvent } from '../provider-events';
import { TWILIO_BACKLOG_LIMIT, TwilioInboundRouter } from './twilio-inbound.router';

const status = (n: number): ProviderEvent => ({ type: 'status', providerMessageId: `SM${n}`, status: 'sent', at: new Date(0) });

describe('TwilioInboundRouter', () => {
  let router: TwilioInboundRouter;
  let warnings: jest.SpyInstance;

  beforeEach(() => {
    router = new TwilioInboundRouter();
    warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warnings.mockRestore());

  it('delivers to every registered client of the company only', () => {
    const a: ProviderEvent[] = [];
    const b: ProviderEvent[] = [];
    const other: ProviderEvent[] = [];
    router.register('quicklearning', (e) => a.push(e));
    router.register('quicklearning', (e) => b.push(e));
    router.register('diocsa', (e) => other.push(e));

    router.deliver('quicklearning', status(1));

    expect(a).toEqual([status(1)]);
    expect(b).toEqual([status(1)]);
    expect(other).toEqual([]);
  });

  it('keeps events while no client is registered and hands them, in order, to the next one', () => {
    router.deliver('quicklearning', status(1));
    router.deliver('quicklearning', status(2));
    expect(router.backlogSize('quicklearning')).toBe(2);

    const received: ProviderEvent[] = [];
    router.register('quicklearning', (e) => received.push(e));
    router.deliver('quicklearning', status(3));

    expect(received).toEqual([status(1), status(2), status(3)]);
    expect(router.backlogSize('quicklearning')).toBe(0);
  });

  it('goes back to keeping events once the last client unregisters', () => {
    const received: ProviderEvent[] = [];
    const unregister = router.register('quicklearning', (e) => received.push(e));
    unregister();
    unregister();
    router.deliver('quicklearning', status(1));

    expect(received).toEqual([]);
    expect(router.backlogSize('quicklearning')).toBe(1);
  });

  it('bounds the backlog, dropping the oldest with a warning', () => {
    for (let n = 0; n < TWILIO_BACKLOG_LIMIT + 5; n += 1) router.deliver('quicklearning', status(n));
    expect(router.backlogSize('quicklearning')).toBe(TWILIO_BACKLOG_LIMIT);
    expect(warnings).toHaveBeenCalledTimes(1);

    const received: ProviderEvent[] = [];
    router.register('quicklearning', (e) => received.push(e));
    expect(received[0]).toEqual(status(5));
    expect(received).toHaveLength(TWILIO_BACKLOG_LIMIT);
  });

  it('keeps delivering to other clients when one handler throws', () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const received: ProviderEvent[] = [];
    router.register('quicklearning', () => {
      throw new Error('boom');
    });
    router.register('quicklearning', (e) => received.push(e));

    router.deliver('quicklearning', status(1));

    expect(received).toEqual([status(1)]);
    expect(errors).toHaveBeenCalledTimes(1);
    errors.mockRestore();
  });
});
