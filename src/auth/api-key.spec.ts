import { generateApiKey, hashSecret, keyPrefix, parseApiKey, sameSecret, secretMatches } from './api-key';

describe('api keys', () => {
  describe('generateApiKey / parseApiKey', () => {
    it('generates keys of the form vv_<id>_<secret> that parse back to their id', () => {
      for (let i = 0; i < 50; i++) {
        const generated = generateApiKey();
        expect(generated.id).toMatch(/^[a-z0-9]{12}$/);
        expect(generated.key.startsWith(`vv_${generated.id}_`)).toBe(true);

        const parsed = parseApiKey(generated.key);
        expect(parsed).not.toBeNull();
        expect(parsed!.id).toBe(generated.id);
        expect(parsed!.secret).toHaveLength(43);
        expect(generated.key).toBe(`vv_${parsed!.id}_${parsed!.secret}`);
        // Only the hash of the secret is kept, never the secret itself.
        expect(generated.secretHash).toBe(hashSecret(parsed!.secret));
        expect(generated.secretHash).not.toContain(parsed!.secret);
      }
    });

    it('generates a different id and secret every time', () => {
      const keys = Array.from({ length: 100 }, () => generateApiKey());
      expect(new Set(keys.map((k) => k.id)).size).toBe(100);
      expect(new Set(keys.map((k) => k.key)).size).toBe(100);
      expect(new Set(keys.map((k) => k.secretHash)).size).toBe(100);
    });

    it.each([
      ['empty', ''],
      ['no prefix', 'abcdefghijkl_' + 'a'.repeat(43)],
      ['wrong prefix', 'xx_abcdefghijkl_' + 'a'.repeat(43)],
      ['id too short', 'vv_abcdefghijk_' + 'a'.repeat(43)],
      ['id too long', 'vv_abcdefghijklm_' + 'a'.repeat(43)],
      ['upper-case id', 'vv_ABCDEFGHIJKL_' + 'a'.repeat(43)],
      ['secret too short', 'vv_abcdefghijkl_' + 'a'.repeat(42)],
      ['secret too long', 'vv_abcdefghijkl_' + 'a'.repeat(44)],
      ['secret with an invalid character', 'vv_abcdefghijkl_' + 'a'.repeat(42) + '='],
      ['surrounding whitespace', ' vv_abcdefghijkl_' + 'a'.repeat(43) + ' '],
      ['trailing newline', 'vv_abcdefghijkl_' + 'a'.repeat(43) + '\n'],
      ['a bearer header', 'Bearer vv_abcdefghijkl_' + 'a'.repeat(43)],
    ])('parses a malformed key (%s) to null', (_label, key) => {
      expect(parseApiKey(key)).toBeNull();
    });

    it('accepts a well-formed key whose secret uses every base64url character class', () => {
      const secret = 'Az09-_' + 'x'.repeat(37);
      expect(parseApiKey(`vv_abc123def456_${secret}`)).toEqual({ id: 'abc123def456', secret });
    });
  });

  describe('secretMatches', () => {
    it('is true for the right secret', () => {
      const generated = generateApiKey();
      const { secret } = parseApiKey(generated.key)!;
      expect(secretMatches(secret, generated.secretHash)).toBe(true);
    });

    it("is false for a wrong secret, including another key's secret", () => {
      const generated = generateApiKey();
      const other = generateApiKey();
      const { secret } = parseApiKey(generated.key)!;
      expect(secretMatches(parseApiKey(other.key)!.secret, generated.secretHash)).toBe(false);
      expect(secretMatches(secret.slice(0, -1), generated.secretHash)).toBe(false);
      expect(secretMatches('', generated.secretHash)).toBe(false);
    });

    it('is false, without throwing, for a malformed stored hash', () => {
      const { secret } = parseApiKey(generateApiKey().key)!;
      expect(secretMatches(secret, '')).toBe(false);
      expect(secretMatches(secret, 'not-hex')).toBe(false);
      expect(secretMatches(secret, hashSecret(secret).slice(0, 10))).toBe(false);
    });
  });

  describe('sameSecret', () => {
    it('compares two secrets of any length', () => {
      expect(sameSecret('admin-secret-123', 'admin-secret-123')).toBe(true);
      expect(sameSecret('admin-secret-123', 'admin-secret-124')).toBe(false);
      expect(sameSecret('short', 'a much longer candidate value')).toBe(false);
      expect(sameSecret('', '')).toBe(true);
    });
  });

  describe('keyPrefix', () => {
    it("is a company key's id, the start of anything else, or '-' for no key", () => {
      expect(keyPrefix(`vv_abc123def456_${'a'.repeat(43)}`)).toBe('vv_abc123def456');
      expect(keyPrefix('some-admin-key-0123456789')).toBe('some-adm');
      expect(keyPrefix(undefined)).toBe('-');
      expect(keyPrefix('')).toBe('-');
    });
  });
});
