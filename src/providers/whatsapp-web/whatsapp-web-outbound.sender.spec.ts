import { Location, type Client } from 'whatsapp-web.js';
import { sendOutbound } from './whatsapp-web-outbound.sender';

function fakeClient() {
  const react = jest.fn(async () => undefined);
  const client = {
    getNumberId: jest.fn(async (digits: string) => ({ _serialized: `${digits}@c.us` })),
    sendMessage: jest.fn(async () => ({ id: { _serialized: 'true_525512345678@c.us_3EB0' } })),
    getMessageById: jest.fn(async () => ({ react })),
  };
  return { client, react, lib: client as unknown as Client };
}

const limits = { maxBytes: 1_000, timeoutMs: 1_000, allowPrivate: false };

describe('whatsapp-web outbound', () => {
  it('never marks the chat read when sending, and quotes by the stored message id', async () => {
    const { client, lib } = fakeClient();
    expect(
      await sendOutbound(
        lib,
        { to: '+525512345678', kind: 'text', text: 'hola', replyTo: { providerMessageId: 'false_52155@c.us_AB', fromMe: false } },
        limits,
      ),
    ).toEqual({
      providerMessageId: 'true_525512345678@c.us_3EB0',
    });
    expect(client.sendMessage).toHaveBeenCalledWith('525512345678@c.us', 'hola', { sendSeen: false, quotedMessageId: 'false_52155@c.us_AB' });
  });

  it('sends locations and contact cards, and reacts on the target message', async () => {
    const { client, react, lib } = fakeClient();
    await sendOutbound(lib, { to: '+525512345678', kind: 'location', latitude: 19.4, longitude: -99.1, name: 'Centro' }, limits);
    const [, location, options] = client.sendMessage.mock.calls[0] as unknown as [string, Location, object];
    expect(location).toBeInstanceOf(Location);
    expect(location).toMatchObject({ latitude: 19.4, longitude: -99.1 });
    expect(options).toEqual({ sendSeen: false });

    await sendOutbound(lib, { to: '+525512345678', kind: 'contact', name: 'Laura', phone: '+5215587654321' }, limits);
    expect(client.sendMessage.mock.calls[1]).toEqual([
      '525512345678@c.us',
      expect.stringContaining('TEL;type=CELL;waid=5215587654321'),
      { sendSeen: false, parseVCards: true },
    ]);

    const reacted = await sendOutbound(
      lib,
      { to: '+525512345678', kind: 'reaction', emoji: '👍', target: { providerMessageId: 'false_X', fromMe: false } },
      limits,
    );
    expect(client.getMessageById).toHaveBeenCalledWith('false_X');
    expect(react).toHaveBeenCalledWith('👍');
    expect(reacted.providerMessageId).toMatch(/^reaction:false_X:\d+$/);
  });

  it('answers LIDs as they are, without a number lookup', async () => {
    const { client, lib } = fakeClient();
    await sendOutbound(lib, { to: '99887766554433@lid', kind: 'text', text: 'hola' }, limits);
    expect(client.getNumberId).not.toHaveBeenCalled();
    expect((client.sendMessage.mock.calls[0] as unknown as [string])[0]).toBe('99887766554433@lid');
  });
});
