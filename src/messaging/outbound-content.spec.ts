import { capabilitiesFor, contentOf, mediaKindOf, mediaOfUrl, outboundMessageOf, sentRecordOf } from './outbound-content';
import type { OutboundView } from './outbound-message';

const view = (content: object, extra: object = {}): OutboundView =>
  ({
    id: 'o1',
    session: 's',
    to: '+5215512345678',
    status: 'queued',
    attempts: 0,
    idempotencyKey: 'k',
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...content,
    ...extra,
  }) as OutboundView;

describe('outbound content', () => {
  it('reads the kind of a body without one from its media URL (an mp4 is a video, not a document)', () => {
    expect(['a.JPG', 'b.mp4', 'c.mp3', 'd.ogg', 'e.pdf', 'f', 'g.xyz'].map((file) => mediaOfUrl(`https://cdn.example.com/${file}?v=1`).kind)).toEqual([
      'image',
      'video',
      'audio',
      'audio',
      'document',
      'document',
      'document',
    ]);
    expect(contentOf({ to: '+1', mediaUrl: 'https://x/clip.mp4', caption: 'mira' })).toEqual({ kind: 'video', url: 'https://x/clip.mp4', caption: 'mira' });
    expect(contentOf({ to: '+1', text: 'hola' })).toEqual({ kind: 'text', text: 'hola' });
  });

  it('hands the port the content, the recipient and the quoted message, without our ids', () => {
    const replyTo = { messageId: 'm1', providerMessageId: 'WA1', fromMe: false, text: '¿precio?' };
    expect(outboundMessageOf(view({ kind: 'text', text: '$100' }, { replyTo }))).toEqual({
      kind: 'text',
      text: '$100',
      to: '+5215512345678',
      replyTo: { providerMessageId: 'WA1', fromMe: false, text: '¿precio?' },
    });
    expect(outboundMessageOf(view({ kind: 'reaction', emoji: '👍', target: { messageId: 'm2', providerMessageId: 'WA2', fromMe: true } }))).toEqual({
      kind: 'reaction',
      emoji: '👍',
      target: { providerMessageId: 'WA2', fromMe: true },
      to: '+5215512345678',
    });
  });

  it('records what was sent with its media, location, reaction or template', () => {
    expect(sentRecordOf('WA3', view({ kind: 'document', url: 'https://x/lista.pdf', caption: 'precios', fileName: 'lista.pdf' }))).toMatchObject({
      providerMessageId: 'WA3',
      fromMe: true,
      text: 'precios',
      media: { type: 'document', mimeType: 'application/pdf', caption: 'precios', fileName: 'lista.pdf', url: 'https://x/lista.pdf' },
    });
    expect(sentRecordOf('WA4', view({ kind: 'location', latitude: 1, longitude: 2 })).location).toEqual({ latitude: 1, longitude: 2 });
    expect(sentRecordOf('WA5', view({ kind: 'reaction', emoji: '❤️', target: { messageId: 'm', providerMessageId: 'WA2', fromMe: false } })).reaction).toEqual({
      emoji: '❤️',
      providerMessageId: 'WA2',
    });
    expect(sentRecordOf('SM1', view({ kind: 'template', contentSid: 'HX1', variables: { '1': 'Ana' } })).template).toEqual({
      contentSid: 'HX1',
      variables: { '1': 'Ana' },
    });
    expect(
      sentRecordOf('WA6', view({ kind: 'text', text: 'ok' }, { replyTo: { messageId: 'm', providerMessageId: 'WA1', fromMe: false } })).quotedProviderMessageId,
    ).toBe('WA1');
  });

  it('hands an upload to the port as its bytes, and asks the provider for the upload capability', () => {
    const upload = { id: 'o1', size: 4, sha256: 'abc' };
    const stored = view({ kind: 'image', mimeType: 'image/png', caption: 'logo', upload });
    const data = Buffer.from('PNG!');
    expect(outboundMessageOf(stored, data)).toEqual({
      kind: 'image',
      mimeType: 'image/png',
      caption: 'logo',
      file: { data, mimeType: 'image/png' },
      to: '+5215512345678',
    });
    expect(() => outboundMessageOf(stored)).toThrow(/bytes/);
    expect(sentRecordOf('WA7', stored).media).toEqual({ type: 'image', mimeType: 'image/png', caption: 'logo' });
    expect(capabilitiesFor('image', { replying: true, uploaded: true })).toEqual(['image', 'reply', 'upload']);
    expect(['image/webp', 'video/mp4', 'audio/ogg', 'application/pdf', 'text/csv'].map(mediaKindOf)).toEqual([
      'image',
      'video',
      'audio',
      'document',
      'document',
    ]);
  });
});
