import { ErrorCode } from '../core/http/error-code';
import { checkTarget } from './webhook-target';

describe('webhook target check', () => {
  const strict = { httpsOnly: true, allowPrivate: false };
  const refused = { code: ErrorCode.WEBHOOK_TARGET_FORBIDDEN };

  it('refuses private, loopback and link-local targets, by address or by name', async () => {
    for (const url of [
      'https://127.0.0.1/hook',
      'https://localhost:8443/hook',
      'https://10.1.2.3/hook',
      'https://169.254.169.254/latest',
      'https://[::1]/hook',
      'https://[fe80::1]/hook',
    ]) {
      await expect(checkTarget(url, strict)).rejects.toMatchObject(refused);
    }
  });

  it('requires https when asked to', async () => {
    await expect(checkTarget('http://93.184.215.14/hook', strict)).rejects.toMatchObject({ ...refused, message: expect.stringMatching(/https is required/) });
    await expect(checkTarget('https://93.184.215.14/hook', strict)).resolves.toBeUndefined();
  });

  it('allows private targets and http when configured so (development, tests)', async () => {
    await expect(checkTarget('http://127.0.0.1:9999/hook', { httpsOnly: false, allowPrivate: true })).resolves.toBeUndefined();
  });

  it('with private targets allowed in production mode (a bench), lets only private ones use http', async () => {
    const bench = { httpsOnly: true, allowPrivate: true };
    await expect(checkTarget('http://127.0.0.1:9999/hook', bench)).resolves.toBeUndefined();
    await expect(checkTarget('http://localhost:9999/hook', bench)).resolves.toBeUndefined();
    await expect(checkTarget('http://93.184.215.14/hook', bench)).rejects.toMatchObject({ ...refused, message: expect.stringMatching(/https is required/) });
    await expect(checkTarget('https://93.184.215.14/hook', bench)).resolves.toBeUndefined();
  });

  it('refuses a host that does not resolve', async () => {
    await expect(checkTarget('https://no-such-host.invalid/hook', strict)).rejects.toMatchObject({
      ...refused,
      message: expect.stringMatching(/does not resolve/),
    });
  });
});
