import { twilioContentOf } from './twilio-content';

describe('twilio content', () => {
  it('sends text as Body, media as MediaUrl with the caption as Body, locations as a geo persistent action', () => {
    expect(twilioContentOf({ to: '+1', kind: 'text', text: 'hola' })).toEqual({ body: 'hola' });
    expect(twilioContentOf({ to: '+1', kind: 'video', url: 'https://x/v.mp4', caption: 'demo' })).toEqual({ mediaUrl: ['https://x/v.mp4'], body: 'demo' });
    expect(twilioContentOf({ to: '+1', kind: 'voice', url: 'https://x/n.ogg' })).toEqual({ mediaUrl: ['https://x/n.ogg'] });
    expect(twilioContentOf({ to: '+1', kind: 'location', latitude: 19.4326, longitude: -99.1332, name: 'Sucursal Centro', address: 'Av. Juárez 10' })).toEqual({
      persistentAction: ['geo:19.4326,-99.1332|Sucursal Centro'],
      body: 'Av. Juárez 10',
    });
  });

  it('sends a template as ContentSid with its variables as JSON', () => {
    expect(twilioContentOf({ to: '+1', kind: 'template', contentSid: 'HXb5b62575e6e4ff6129ad7c8efe1f983e', variables: { '1': 'Ana' } })).toEqual({
      contentSid: 'HXb5b62575e6e4ff6129ad7c8efe1f983e',
      contentVariables: '{"1":"Ana"}',
    });
  });

  it('refuses for good what Twilio cannot send', () => {
    for (const message of [
      { to: '+1', kind: 'sticker' as const, url: 'https://x/s.webp' },
      { to: '+1', kind: 'contact' as const, name: 'Laura', phone: '+1555' },
      { to: '+1', kind: 'reaction' as const, emoji: '👍', target: { providerMessageId: 'SM1', fromMe: false } },
      { to: '+1', kind: 'text' as const, text: 'x', replyTo: { providerMessageId: 'SM1', fromMe: false } },
    ]) {
      expect(() => twilioContentOf(message)).toThrow(expect.objectContaining({ permanent: true }));
    }
  });
});
