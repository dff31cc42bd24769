import { Boom } from '@hapi/boom';
import { DisconnectReason, type proto, type WAMessage } from '@whiskeysockets/baileys';
import type { StoredMessage } from '../../conversations/message';
import { connectionEventsOf, messagesOfUpsert } from './baileys-event.mapper';
import { digitsOf, jidForRecipient, otherPartyOf, phoneOfJid } from './baileys-jid';
import type { OutboundMediaKind, OutboundMessage } from '../provider.port';
import { outboundContentOf, quotedOf, resendContentOf } from './baileys-outbound.mapper';

describe('baileys jids', () => {
  it('turns a user jid, device included, into +digits and ignores non-phone jids', () => {
    expect(phoneOfJid('5215512345678:12@s.whatsapp.net')).toBe('+5215512345678');
    expect(phoneOfJid('5215512345678@s.whatsapp.net')).toBe('+5215512345678');
    expect(phoneOfJid('120363000000000000@g.us')).toBeUndefined();
    expect(phoneOfJid('123456789@lid')).toBeUndefined();
    expect(phoneOfJid(undefined)).toBeUndefined();
  });

  it('names the sender by phone when WhatsApp gives one, else by LID', () => {
    expect(otherPartyOf({ remoteJid: '123456789@lid', remoteJidAlt: '5215512345678@s.whatsapp.net' })).toBe('+5215512345678');
    expect(otherPartyOf({ remoteJid: '123456789@lid' })).toBe('123456789@lid');
  });

  it('addresses E.164 numbers as user jids and passes user jids through', () => {
    expect(jidForRecipient('+5215512345678')).toBe('5215512345678@s.whatsapp.net');
    expect(jidForRecipient('123456789@lid')).toBe('123456789@lid');
    expect(() => digitsOf('+52 (55) abc')).toThrow(/not a phone number/);
    expect(digitsOf('+1 (555) 123-4567')).toBe('15551234567');
  });
});

describe('baileys connection events', () => {
  const close = (statusCode?: number) => ({
    connection: 'close' as const,
    lastDisconnect: { error: statusCode ? new Boom('gone', { statusCode }) : undefined, date: new Date() },
  });

  it.each([
    [DisconnectReason.loggedOut, { type: 'logged-out', reason: 'gone (401)' }],
    [DisconnectReason.forbidden, { type: 'disconnected', reason: 'banned by WhatsApp: gone (403)', retryable: false }],
    [DisconnectReason.connectionReplaced, { type: 'disconnected', reason: 'replaced by another connection: gone (440)', retryable: false, action: 'yield' }],
    [DisconnectReason.multideviceMismatch, { type: 'disconnected', reason: 'gone (411)', retryable: false }],
    [DisconnectReason.badSession, { type: 'disconnected', reason: 'gone (500)', retryable: false }],
    [DisconnectReason.restartRequired, { type: 'disconnected', reason: 'gone (515)', retryable: true, action: 'restart-now' }],
    [DisconnectReason.connectionClosed, { type: 'disconnected', reason: 'gone (428)', retryable: true }],
    [DisconnectReason.timedOut, { type: 'disconnected', reason: 'gone (408)', retryable: true }],
    [DisconnectReason.unavailableService, { type: 'disconnected', reason: 'gone (503)', retryable: true }],
  ])('classifies close code %i', (code, event) => {
    expect(connectionEventsOf(close(code), undefined)).toEqual([event]);
  });

  it('treats a close without a code as retryable', () => {
    expect(connectionEventsOf(close(), undefined)).toEqual([{ type: 'disconnected', reason: 'connection closed', retryable: true }]);
  });

  it('says nothing about connecting', () => {
    expect(connectionEventsOf({ connection: 'connecting', qr: undefined }, undefined)).toEqual([]);
  });
});

describe('baileys outbound content', () => {
  const jid = '5215512345678@s.whatsapp.net';
  const fetched = { data: Buffer.from('bytes'), mimeType: 'video/mp4', fileName: 'clip.mp4' };
  const media = (kind: OutboundMediaKind, extra: object = {}) =>
    outboundContentOf({ to: '+1', kind, url: 'https://cdn.example.com/x', ...extra } as OutboundMessage, jid, fetched);

  it('sends each media kind under its own key, with the fetched bytes: an mp4 is a video, a voice note is ptt audio', () => {
    expect(outboundContentOf({ to: '+1', kind: 'text', text: 'hola' }, jid)).toEqual({ text: 'hola' });
    expect(media('image', { caption: 'mira', mimeType: 'image/png' })).toEqual({ image: fetched.data, caption: 'mira', mimetype: 'image/png' });
    expect(media('video', { caption: 'clip' })).toEqual({ video: fetched.data, caption: 'clip', mimetype: 'video/mp4' });
    expect(media('audio')).toEqual({ audio: fetched.data, mimetype: 'video/mp4' });
    expect(media('voice')).toEqual({ audio: fetched.data, ptt: true, mimetype: 'audio/ogg; codecs=opus' });
    expect(media('sticker')).toEqual({ sticker: fetched.data, mimetype: 'image/webp' });
    expect(media('document', { fileName: 'lista.pdf', mimeType: 'application/pdf' })).toEqual({
      document: fetched.data,
      mimetype: 'application/pdf',
      fileName: 'lista.pdf',
      caption: undefined,
    });
    expect(() => outboundContentOf({ to: '+1', kind: 'image', url: 'https://x' }, jid)).toThrow(/fetched first/);
  });

  it('sends locations, contact cards and reactions keyed in this chat, and no templates', () => {
    expect(outboundContentOf({ to: '+1', kind: 'location', latitude: 19.43, longitude: -99.13, name: 'Centro' }, jid)).toEqual({
      location: { degreesLatitude: 19.43, degreesLongitude: -99.13, name: 'Centro', address: undefined },
    });
    expect(outboundContentOf({ to: '+1', kind: 'contact', name: 'Laura', phone: '+5215587654321' }, jid)).toEqual({
      contacts: {
        displayName: 'Laura',
        contacts: [{ displayName: 'Laura', vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Laura\nTEL;type=CELL;waid=5215587654321:+5215587654321\nEND:VCARD' }],
      },
    });
    expect(outboundContentOf({ to: '+1', kind: 'reaction', emoji: '👍', target: { providerMessageId: 'IN1', fromMe: false } }, jid)).toEqual({
      react: { text: '👍', key: { remoteJid: jid, fromMe: false, id: 'IN1' } },
    });
    expect(() => outboundContentOf({ to: '+1', kind: 'template', contentSid: 'HX1' }, jid)).toThrow(/cannot send Twilio templates/);
  });

  it('quotes a stored message by its key and text', () => {
    expect(quotedOf({ providerMessageId: 'OUT9', fromMe: true, text: 'tu pedido' }, jid)).toEqual({
      key: { remoteJid: jid, fromMe: true, id: 'OUT9' },
      message: { conversation: 'tu pedido' },
    });
  });
});

describe('baileys upserts', () => {
  const own = '5215500000001:7@s.whatsapp.net';
  const at = 1_700_000_000;
  const timestamp = new Date(at * 1000);
  const message = (id: string, key: Partial<WAMessage['key']>, content: proto.IMessage | undefined, extra: Partial<WAMessage> = {}): WAMessage =>
    ({ key: { id, fromMe: false, remoteJid: '5215512345678@s.whatsapp.net', ...key }, message: content, messageTimestamp: at, ...extra }) as WAMessage;

  it('reports live (notify) messages from others with their sender name', () => {
    expect(messagesOfUpsert({ type: 'notify', messages: [message('N1', {}, { conversation: 'hola' }, { pushName: 'Ana' })] }, own)).toEqual([
      { providerMessageId: 'N1', from: '+5215512345678', to: '+5215500000001', text: 'hola', timestamp, senderName: 'Ana' },
    ]);
  });

  it('reports messages delivered while the socket was down (append) the same way', () => {
    const upsert = {
      type: 'append' as const,
      messages: [
        message('A1', {}, { conversation: 'mientras' }),
        message('A2', { remoteJid: '15551234567@s.whatsapp.net' }, { imageMessage: { caption: 'foto', mimetype: 'image/jpeg' } }),
      ],
    };
    expect(messagesOfUpsert(upsert, own)).toEqual([
      { providerMessageId: 'A1', from: '+5215512345678', to: '+5215500000001', text: 'mientras', timestamp },
      {
        providerMessageId: 'A2',
        from: '+15551234567',
        to: '+5215500000001',
        text: 'foto',
        media: { type: 'image', mimeType: 'image/jpeg', caption: 'foto' },
        timestamp,
      },
    ]);
  });

  it('reports our own messages typed on the phone as fromMe, from us to the other party, without our push name', () => {
    const upsert = {
      type: 'notify' as const,
      messages: [
        message('F1', { fromMe: true }, { extendedTextMessage: { text: 'te llamo' } }, { pushName: 'Ventas' }),
        message('F2', { fromMe: true, remoteJid: '123456789@lid', remoteJidAlt: '5215587654321@s.whatsapp.net' }, { conversation: 'via lid' }),
      ],
    };
    expect(messagesOfUpsert(upsert, own)).toEqual([
      { providerMessageId: 'F1', from: '+5215500000001', to: '+5215512345678', text: 'te llamo', timestamp, fromMe: true },
      { providerMessageId: 'F2', from: '+5215500000001', to: '+5215587654321', text: 'via lid', timestamp, fromMe: true },
    ]);
  });

  it('skips groups, broadcasts, status, channels, protocol and system entries, in both kinds of upsert', () => {
    const skipped = [
      message('G1', { remoteJid: '120363000000000000@g.us', participant: '5215512345678@s.whatsapp.net' }, { conversation: 'grupo' }),
      message('G2', { remoteJid: '120363000000000000@g.us', fromMe: true }, { conversation: 'mío en grupo' }),
      message('B1', { remoteJid: 'status@broadcast', participant: '5215512345678@s.whatsapp.net' }, { conversation: 'estado' }),
      message('C1', { remoteJid: '120363000000000000@newsletter' }, { conversation: 'canal' }),
      message('P1', { fromMe: true, remoteJid: own }, { protocolMessage: { type: 3 } }),
      message('R1', {}, { reactionMessage: { text: '👍', key: { id: 'N1' } } }),
      message('S1', {}, undefined, { messageStubType: 1 }),
      message('', {}, { conversation: 'sin id' }),
    ];
    for (const type of ['notify', 'append'] as const) expect(messagesOfUpsert({ type, messages: skipped }, own)).toEqual([]);
  });
});

describe('baileys resend content', () => {
  const stored = (overrides: Partial<StoredMessage>): StoredMessage => ({
    id: '0'.repeat(24),
    session: 'ventas',
    providerMessageId: 'OUT1',
    direction: 'outbound',
    phone: '+5215512345678',
    from: '',
    to: '+5215512345678',
    text: 'tu pedido salió',
    timestamp: new Date(0),
    ...overrides,
  });

  it('answers the text of a message we sent and nothing it cannot rebuild', () => {
    expect(resendContentOf(stored({}))).toEqual({ conversation: 'tu pedido salió' });
    expect(resendContentOf(undefined)).toBeUndefined();
    expect(resendContentOf(stored({ direction: 'inbound' }))).toBeUndefined();
    expect(resendContentOf(stored({ media: { type: 'image', mimeType: 'image/jpeg' }, text: 'pie de foto' }))).toBeUndefined();
    expect(resendContentOf(stored({ text: undefined }))).toBeUndefined();
  });
});
