import { mediaTypeOf, mapTwilioWebhook } from './twilio-webhook.mapper';

const receivedAt = new Date('2025-01-02T03:04:05.000Z');
const options = { defaultRegion: 'MX', receivedAt };

/** Fields Twilio posts for an inbound WhatsApp message (abridged from a real callback). */
const inbound = {
  SmsMessageSid: 'SM11111111111111111111111111111111',
  NumMedia: '0',
  ProfileName: 'Ana López',
  SmsSid: 'SM11111111111111111111111111111111',
  WaId: '5215512345678',
  SmsStatus: 'received',
  Body: 'Hola, quiero informes',
  To: 'whatsapp:+14155238886',
  NumSegments: '1',
  MessageSid: 'SM11111111111111111111111111111111',
  AccountSid: 'AC00000000000000000000000000000000',
  From: 'whatsapp:+5215512345678',
  ApiVersion: '2010-04-01',
};

describe('mapTwilioWebhook', () => {
  describe('inbound messages', () => {
    it('becomes a message event with E.164 numbers, text, sender name and the receive time', () => {
      expect(mapTwilioWebhook(inbound, options)).toEqual({
        ok: true,
        event: {
          type: 'message',
          message: {
            providerMessageId: 'SM11111111111111111111111111111111',
            from: '+525512345678',
            to: '+14155238886',
            text: 'Hola, quiero informes',
            timestamp: receivedAt,
            senderName: 'Ana López',
          },
        },
      });
    });

    it('names the media type from the MIME type (WhatsApp voice notes are audio/ogg)', () => {
      expect(['image/jpeg', 'image/webp', 'video/mp4', 'audio/mpeg', 'audio/ogg; codecs=opus', 'application/pdf'].map(mediaTypeOf)).toEqual([
        'image',
        'sticker',
        'video',
        'audio',
        'voice',
        'document',
      ]);
    });

    it('keeps the body as the caption of media', () => {
      const mapped = mapTwilioWebhook(
        { ...inbound, Body: 'mi INE', NumMedia: '1', MediaUrl0: 'https://api.twilio.com/x/Media/ME2', MediaContentType0: 'image/png' },
        options,
      );
      expect(mapped).toMatchObject({ ok: true, event: { message: { text: 'mi INE', media: { type: 'image', caption: 'mi INE' } } } });
    });

    it('carries the first media item, and no text when the body is empty', () => {
      const mapped = mapTwilioWebhook(
        {
          ...inbound,
          Body: '',
          NumMedia: '1',
          MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1',
          MediaContentType0: 'image/jpeg',
        },
        options,
      );
      expect(mapped).toMatchObject({
        ok: true,
        event: {
          type: 'message',
          message: { media: { type: 'image', mimeType: 'image/jpeg', source: { via: 'url', url: expect.stringContaining('/Media/ME1') } } },
        },
      });
      expect(mapped.ok && mapped.event?.type === 'message' && 'text' in mapped.event.message).toBe(false);
    });

    it('ignores a media URL when NumMedia says there is none', () => {
      const mapped = mapTwilioWebhook({ ...inbound, NumMedia: '0', MediaUrl0: 'https://example.com/x' }, options);
      expect(mapped.ok && mapped.event?.type === 'message' && mapped.event.message.media).toBeUndefined();
    });

    it('keeps a sender that is not a phone number, without its channel prefix', () => {
      const mapped = mapTwilioWebhook({ ...inbound, From: 'whatsapp:not-a-number' }, options);
      expect(mapped).toMatchObject({ ok: true, event: { message: { from: 'not-a-number' } } });
    });

    it('treats MessageStatus=received as an inbound message, not a receipt', () => {
      const mapped = mapTwilioWebhook({ ...inbound, MessageStatus: 'received' }, options);
      expect(mapped).toMatchObject({ ok: true, event: { type: 'message' } });
    });

    it.each([
      ['MessageSid', { ...inbound, MessageSid: undefined }, 'missing MessageSid'],
      ['From', { ...inbound, From: '' }, 'missing From'],
      ['both', { Body: 'hi' }, 'missing MessageSid and From'],
      ['a repeated MessageSid (array)', { ...inbound, MessageSid: ['SM1', 'SM2'] }, 'missing MessageSid'],
    ])('is rejected without %s', (_label, form, reason) => {
      expect(mapTwilioWebhook(form, options)).toEqual({ ok: false, reason });
    });
  });

  describe('status callbacks', () => {
    const callback = { MessageSid: 'SM22222222222222222222222222222222', AccountSid: 'AC0', From: 'whatsapp:+14155238886', To: 'whatsapp:+5215512345678' };

    it.each([
      ['sent', 'sent'],
      ['delivered', 'delivered'],
      ['read', 'read'],
      ['READ', 'read'],
    ])('%s becomes %s', (twilioStatus, status) => {
      expect(mapTwilioWebhook({ ...callback, MessageStatus: twilioStatus }, options)).toEqual({
        ok: true,
        event: { type: 'status', providerMessageId: callback.MessageSid, status, at: receivedAt },
      });
    });

    it('reports failed and undelivered as failed, with Twilio error code and message as the reason', () => {
      expect(mapTwilioWebhook({ ...callback, MessageStatus: 'failed', ErrorCode: '63016', ErrorMessage: 'Outside the 24h window' }, options)).toEqual({
        ok: true,
        event: {
          type: 'status',
          providerMessageId: callback.MessageSid,
          status: 'failed',
          reason: 'failed (error 63016: Outside the 24h window)',
          at: receivedAt,
        },
      });
      expect(mapTwilioWebhook({ ...callback, MessageStatus: 'undelivered', ErrorCode: '30008' }, options)).toMatchObject({
        event: { status: 'failed', reason: 'undelivered (error 30008)' },
      });
      expect(mapTwilioWebhook({ ...callback, MessageStatus: 'undelivered' }, options)).toMatchObject({ event: { status: 'failed', reason: 'undelivered' } });
    });

    it.each(['queued', 'accepted', 'sending', 'scheduled', 'something-new'])('acknowledges %s without an event', (twilioStatus) => {
      expect(mapTwilioWebhook({ ...callback, MessageStatus: twilioStatus }, options)).toEqual({
        ok: true,
        event: null,
        ignored: expect.stringContaining(twilioStatus),
      });
    });

    it('is rejected without MessageSid', () => {
      expect(mapTwilioWebhook({ MessageStatus: 'delivered' }, options)).toEqual({ ok: false, reason: 'missing MessageSid' });
    });
  });
});
