import { Boom } from '@hapi/boom';
import { DisconnectReason } from '@whiskeysockets/baileys';
import { connectionEventsOf } from './baileys-event.mapper';
import { digitsOf, jidForRecipient, phoneOfJid, senderOf } from './baileys-jid';
import { outboundContentOf } from './baileys-outbound.mapper';

describe('baileys jids', () => {
  it('turns a user jid, device included, into +digits and ignores non-phone jids', () => {
    expect(phoneOfJid('5215512345678:12@s.whatsapp.net')).toBe('+5215512345678');
    expect(phoneOfJid('5215512345678@s.whatsapp.net')).toBe('+5215512345678');
    expect(phoneOfJid('120363000000000000@g.us')).toBeUndefined();
    expect(phoneOfJid('123456789@lid')).toBeUndefined();
    expect(phoneOfJid(undefined)).toBeUndefined();
  });

  it('names the sender by phone when WhatsApp gives one, else by LID', () => {
    expect(senderOf({ remoteJid: '123456789@lid', remoteJidAlt: '5215512345678@s.whatsapp.net' })).toBe('+5215512345678');
    expect(senderOf({ remoteJid: '123456789@lid' })).toBe('123456789@lid');
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
  it('sends text as text, image URLs as images and anything else as a document', () => {
    expect(outboundContentOf({ to: '+1', text: 'hola' })).toEqual({ text: 'hola' });
    expect(outboundContentOf({ to: '+1', mediaUrl: 'https://cdn.example.com/a/photo.JPG?x=1', caption: 'mira' })).toEqual({
      image: { url: 'https://cdn.example.com/a/photo.JPG?x=1' },
      caption: 'mira',
    });
    expect(outboundContentOf({ to: '+1', mediaUrl: 'https://cdn.example.com/files/price%20list.pdf' })).toEqual({
      document: { url: 'https://cdn.example.com/files/price%20list.pdf' },
      mimetype: 'application/pdf',
      fileName: 'price list.pdf',
      caption: undefined,
    });
    expect(outboundContentOf({ to: '+1', mediaUrl: 'https://cdn.example.com/download' })).toMatchObject({ mimetype: 'application/octet-stream' });
    expect(() => outboundContentOf({ to: '+1', mediaUrl: 'not a url' })).toThrow(/not a media URL/);
  });
});
