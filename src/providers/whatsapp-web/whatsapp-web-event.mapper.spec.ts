import { MessageTypes } from 'whatsapp-web.js';
import type { Client, Message } from 'whatsapp-web.js';
import { disconnectedEvent, isPersonalInbound, isPersonalOwn, phoneOf, statusOfAck, toInboundMessage, type WwebjsMessage } from './whatsapp-web-event.mapper';
import { translateInbound } from './whatsapp-web-inbound.translator';

function message(overrides: Partial<WwebjsMessage> = {}): WwebjsMessage {
  return {
    id: { fromMe: false, remote: '5215512345678@c.us', id: 'ABC', _serialized: 'false_5215512345678@c.us_ABC' },
    fromMe: false,
    from: '5215512345678@c.us',
    to: '5215587654321@c.us',
    body: 'hola',
    hasMedia: false,
    type: MessageTypes.TEXT,
    timestamp: 1_700_000_000,
    isStatus: false,
    rawData: { notifyName: 'Ana' },
    ...overrides,
  } as WwebjsMessage;
}

describe('whatsapp-web event mapping', () => {
  it.each([
    ['own messages', { fromMe: true }],
    ['groups', { from: '120363000000000000@g.us' }],
    ['status updates', { from: 'status@broadcast', isStatus: true }],
    ['broadcast lists', { from: '1234567890@broadcast' }],
    ['channels', { from: '120363000000000000@newsletter' }],
    ['security-code notices', { type: 'e2e_notification' }],
    ['call logs', { type: 'call_log' }],
  ])('skips %s', (_, overrides) => {
    expect(isPersonalInbound(message(overrides as Partial<WwebjsMessage>))).toBe(false);
  });

  it('keeps a one-to-one message from a person', () => {
    expect(isPersonalInbound(message())).toBe(true);
    expect(isPersonalOwn(message())).toBe(false);
  });

  const own = (overrides: Partial<WwebjsMessage> = {}) =>
    message({
      id: { fromMe: true, remote: '5215512345678@c.us', id: 'OWN', _serialized: 'true_5215512345678@c.us_OWN' },
      fromMe: true,
      from: '5215587654321@c.us',
      to: '5215512345678@c.us',
      rawData: { notifyName: 'Ventas' },
      ...overrides,
    } as Partial<WwebjsMessage>);

  it.each([
    ['groups', { to: '120363000000000000@g.us' }],
    ['status posts', { to: 'status@broadcast', isStatus: true }],
    ['broadcast lists', { to: '1234567890@broadcast' }],
    ['channels', { to: '120363000000000000@newsletter' }],
    ['security-code notices', { type: 'e2e_notification' }],
    ['protocol entries', { type: 'protocol' }],
  ])('skips our own messages in %s', (_, overrides) => {
    expect(isPersonalOwn(own(overrides as Partial<WwebjsMessage>))).toBe(false);
  });

  it('keeps our own one-to-one message, and never as inbound', () => {
    expect(isPersonalOwn(own())).toBe(true);
    expect(isPersonalInbound(own())).toBe(false);
  });

  it('maps our own message as fromMe, without our push name as a sender name', () => {
    expect(toInboundMessage(own(), '+525587654321', '+525512345678')).toEqual({
      providerMessageId: 'true_5215512345678@c.us_OWN',
      from: '+525587654321',
      to: '+525512345678',
      text: 'hola',
      timestamp: new Date(1_700_000_000_000),
      fromMe: true,
    });
  });

  describe('translation', () => {
    const client = (pn?: string) =>
      ({ getContactLidAndPhone: jest.fn(async (ids: string[]) => ids.map((lid) => ({ lid, pn }))) }) as unknown as Client & {
        getContactLidAndPhone: jest.Mock;
      };

    it('sends our own message from our number to the other party, resolving a privacy id', async () => {
      const lookup = client('5215512345678@c.us');
      const translated = await translateInbound(lookup, own({ to: '123456789012345@lid' }) as Message, '+525587654321', 'MX');
      expect(translated).toMatchObject({ from: '+525587654321', to: '+525512345678', fromMe: true });
      expect(lookup.getContactLidAndPhone).toHaveBeenCalledWith(['123456789012345@lid']);
      expect(await translateInbound(client(), own() as Message, undefined, 'MX')).toMatchObject({ from: '+525587654321', to: '+525512345678' });
    });

    it('keeps the raw privacy id when WhatsApp Web cannot resolve it', async () => {
      const failing = { getContactLidAndPhone: jest.fn(async () => Promise.reject(new Error('page gone'))) } as unknown as Client;
      expect(await translateInbound(failing, message({ from: '123456789012345@lid' }) as Message, '+525587654321', 'MX')).toMatchObject({
        from: '123456789012345@lid',
        to: '+525587654321',
      });
      expect(await translateInbound(client(), own({ to: '120363000000000000@g.us' }) as Message, '+525587654321', 'MX')).toBeUndefined();
    });
  });

  it('normalises WhatsApp ids to E.164, dropping the legacy Mexican 1', () => {
    expect(phoneOf('5215512345678@c.us', 'MX')).toBe('+525512345678');
    expect(phoneOf('14155550123@s.whatsapp.net', 'MX')).toBe('+14155550123');
    expect(phoneOf('123456789012345@lid', 'MX')).toBeUndefined();
    expect(phoneOf(undefined, 'MX')).toBeUndefined();
  });

  it('maps a text message with its id, time and sender name', () => {
    expect(toInboundMessage(message(), '+525512345678', '+525587654321')).toEqual({
      providerMessageId: 'false_5215512345678@c.us_ABC',
      from: '+525512345678',
      to: '+525587654321',
      text: 'hola',
      media: undefined,
      timestamp: new Date(1_700_000_000_000),
      senderName: 'Ana',
    });
  });

  it('describes media from the message data, without downloading it', () => {
    const mapped = toInboundMessage(
      message({ hasMedia: true, type: MessageTypes.DOCUMENT, body: 'la cotización', rawData: { mimetype: 'application/pdf', filename: 'q.pdf', size: 1234 } }),
      '+525512345678',
      '+525587654321',
    );
    expect(mapped.media).toEqual({
      type: 'document',
      mimeType: 'application/pdf',
      fileName: 'q.pdf',
      sizeBytes: 1234,
      caption: 'la cotización',
      source: { via: 'client' },
    });
    expect(mapped.text).toBe('la cotización');
    expect(toInboundMessage(message({ hasMedia: true, type: MessageTypes.VOICE, body: '', rawData: {} }), 'a', 'b')).toMatchObject({
      text: undefined,
      media: { type: 'voice', mimeType: 'audio/*', source: { via: 'client' } },
    });
    expect(
      ['image', 'video', 'audio', 'ptt', 'sticker', 'document'].map(
        (type) => toInboundMessage(message({ hasMedia: true, type: type as MessageTypes, body: '', rawData: {} }), 'a', 'b').media?.type,
      ),
    ).toEqual(['image', 'video', 'audio', 'voice', 'sticker', 'document']);
  });

  it('maps acks to delivery statuses and ignores pending', () => {
    expect([-1, 0, 1, 2, 3, 4].map(statusOfAck)).toEqual(['failed', undefined, 'sent', 'delivered', 'read', 'read']);
  });

  it('treats LOGOUT and UNPAIRED as logged out, yields on CONFLICT, and retries every other disconnect', () => {
    expect(disconnectedEvent('LOGOUT')).toEqual({ type: 'logged-out', reason: 'LOGOUT' });
    expect(disconnectedEvent('UNPAIRED')).toEqual({ type: 'logged-out', reason: 'UNPAIRED' });
    expect(disconnectedEvent('UNPAIRED_IDLE')).toEqual({ type: 'logged-out', reason: 'UNPAIRED_IDLE' });
    expect(disconnectedEvent('CONFLICT')).toEqual({
      type: 'disconnected',
      reason: 'WhatsApp Web was opened elsewhere (CONFLICT)',
      retryable: false,
      action: 'yield',
    });
    expect(disconnectedEvent('TIMEOUT')).toEqual({ type: 'disconnected', reason: 'TIMEOUT', retryable: true });
  });
});
