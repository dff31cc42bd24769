import { BaileysRecipients } from './baileys-recipients';

describe('BaileysRecipients', () => {
  it('asks WhatsApp for the id of a number once, then answers from the cache', async () => {
    const lookup = { onWhatsApp: jest.fn(async () => [{ jid: '5215512345678@s.whatsapp.net', exists: true }]) };
    const recipients = new BaileysRecipients('acme:s', 10);
    expect(await recipients.resolve(lookup, '+525512345678')).toBe('5215512345678@s.whatsapp.net');
    expect(await recipients.resolve(lookup, '+525512345678')).toBe('5215512345678@s.whatsapp.net');
    expect(lookup.onWhatsApp).toHaveBeenCalledTimes(1);
    expect(lookup.onWhatsApp).toHaveBeenCalledWith('525512345678');
  });

  it('passes WhatsApp ids through and fails, permanently, a number that is not on WhatsApp', async () => {
    const lookup = { onWhatsApp: jest.fn(async () => []) };
    const recipients = new BaileysRecipients('acme:s', 10);
    expect(await recipients.resolve(lookup, '123456789@lid')).toBe('123456789@lid');
    await expect(recipients.resolve(lookup, '+14155550123')).rejects.toMatchObject({ permanent: true, message: '+14155550123 is not on WhatsApp' });
    await expect(recipients.resolve(lookup, '+14155550123')).rejects.toMatchObject({ permanent: true });
    expect(lookup.onWhatsApp).toHaveBeenCalledTimes(1);
  });

  it('rate-limits lookups per session, as a transient failure', async () => {
    const lookup = { onWhatsApp: jest.fn(async (n: string) => [{ jid: `${n}@s.whatsapp.net`, exists: true }]) };
    const recipients = new BaileysRecipients('acme:s', 2);
    await recipients.resolve(lookup, '+14155550001');
    await recipients.resolve(lookup, '+14155550002');
    await expect(recipients.resolve(lookup, '+14155550003')).rejects.toMatchObject({ permanent: false });
  });
});
