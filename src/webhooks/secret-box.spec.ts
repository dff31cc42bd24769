import { SecretBox } from './secret-box';

describe('webhook secrets at rest', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('seals with the key so the stored value does not show the secret, and opens it again', () => {
    const box = new SecretBox('a-long-enough-deployment-key');
    const stored = box.seal(secret);
    expect(stored).toMatch(/^enc:v1:/);
    expect(stored).not.toContain(secret.slice(6));
    expect(box.seal(secret)).not.toBe(stored);
    expect(box.open(stored)).toBe(secret);
  });

  it('stores as is without a key, and still opens values stored before a key was set', () => {
    expect(new SecretBox(undefined).seal(secret)).toBe(secret);
    expect(new SecretBox('a-long-enough-deployment-key').open(secret)).toBe(secret);
  });

  it('refuses to open with another key, or without one', () => {
    const stored = new SecretBox('a-long-enough-deployment-key').seal(secret);
    expect(() => new SecretBox('another-deployment-key-entirely').open(stored)).toThrow();
    expect(() => new SecretBox(undefined).open(stored)).toThrow(/WEBHOOK_SECRET_KEY/);
  });
});
