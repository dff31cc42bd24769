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

  it('checks numbers in one query for what is not cached, matching answers by canonical number, within the budget', async () => {
    const lookup = {
      onWhatsApp: jest.fn(async () => [
        { jid: '5215512345678@s.whatsapp.net', exists: true },
        { jid: '14155550009@s.whatsapp.net', exists: false },
      ]),
    };
    const canonical = (phone: string) => phone.replace(/^\+521/, '+52');
    const recipients = new BaileysRecipients('acme:s', 3);
    expect(await recipients.check(lookup, ['+525512345678', '+14155550009'], canonical)).toEqual([
      { phone: '+525512345678', exists: true, jid: '5215512345678@s.whatsapp.net' },
      { phone: '+14155550009', exists: false },
    ]);
    expect(lookup.onWhatsApp).toHaveBeenCalledWith('525512345678', '14155550009');
    expect(await recipients.resolve(lookup, '+525512345678')).toBe('5215512345678@s.whatsapp.net');
    expect(lookup.onWhatsApp).toHaveBeenCalledTimes(1);
    await expect(recipients.check(lookup, ['+14155550101', '+14155550102'], canonical)).rejects.toMatchObject({
      permanent: false,
      message: expect.stringMatching(/rate-limited/),
    });
    expect(lookup.onWhatsApp).toHaveBeenCalledTimes(1);
  });
});
