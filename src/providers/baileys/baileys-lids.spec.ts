import type { InboundMessage } from '../provider-events';
import { LidResolver, mappingOf } from './baileys-lids';

const message = (from: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({
  providerMessageId: 'M',
  from,
  to: '+5215500000001',
  timestamp: new Date(0),
  ...extra,
});

describe('baileys LIDs', () => {
  it('pairs a LID with a phone id in either order, per user (not device)', () => {
    expect(mappingOf('123:4@lid', '5215512345678:2@s.whatsapp.net')).toEqual({ lid: '123@lid', phone: '+5215512345678' });
    expect(mappingOf('5215512345678@s.whatsapp.net', '123@lid')).toEqual({ lid: '123@lid', phone: '+5215512345678' });
    expect(mappingOf('123@lid', undefined)).toBeUndefined();
    expect(mappingOf('5215512345678@s.whatsapp.net', '5215512345679@s.whatsapp.net')).toBeUndefined();
  });

  it('files messages under the phone behind a LID: from memory at once, else after a lookup', async () => {
    const lookup = jest.fn(async (lid: string) => (lid === '456@lid' ? '+5215566667777' : undefined));
    const resolver = new LidResolver(lookup);
    expect(resolver.learn([{ lid: '123@lid', phone: '+5215512345678' }])).toHaveLength(1);
    expect(resolver.learn([{ lid: '123@lid', phone: '+5215512345678' }])).toHaveLength(0);

    expect(resolver.resolveKnown([message('123@lid'), message('+15551234567')])?.map((m) => m.from)).toEqual(['+5215512345678', '+15551234567']);
    expect(resolver.resolveKnown([message('456@lid')])).toBeUndefined();
    const ours = message('+5215500000001', { fromMe: true, to: '456@lid' });
    expect((await resolver.resolve([message('456@lid'), ours, message('789@lid')])).map((m) => [m.from, m.to])).toEqual([
      ['+5215566667777', '+5215500000001'],
      ['+5215500000001', '+5215566667777'],
      ['789@lid', '+5215500000001'],
    ]);
    expect(resolver.resolveKnown([message('456@lid')])?.[0].from).toBe('+5215566667777');
  });
});
