import { validateEnvironment } from './environment.schema';

describe('validateEnvironment', () => {
  it('applies the documented defaults to an empty environment', () => {
    const env = validateEnvironment({});
    expect(env.PORT).toBe(3000);
    expect(env.MONGO_MAX_POOL_SIZE).toBe(20);
    expect(env.TENANT_MAX_CONCURRENT_OPS).toBe(5);
    expect(env.PROSPECT_BATCH_SIZE).toBe(50);
    expect(env.PROSPECT_BATCH_INTERVAL_MS).toBe(250);
    expect(env.MIGRATE_ON_BOOT).toBe(true);
  });

  it('converts strings from the environment to typed values', () => {
    const env = validateEnvironment({ PORT: '8080', MIGRATE_ON_BOOT: 'false', MEMORY_HIGH_RATIO: '0.8' });
    expect(env).toMatchObject({ PORT: 8080, MIGRATE_ON_BOOT: false, MEMORY_HIGH_RATIO: 0.8 });
  });

  it('fails listing every bad key at once', () => {
    let message = '';
    try {
      validateEnvironment({ PORT: 'eighty', MONGODB_URI: 'postgres://x', LOG_LEVEL: 'loud', ADMIN_API_KEY: 'short' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/4 problem/);
    for (const key of ['PORT', 'MONGODB_URI', 'LOG_LEVEL', 'ADMIN_API_KEY']) expect(message).toContain(`${key}:`);
  });

  it('treats empty values as unset', () => {
    expect(validateEnvironment({ MONGODB_URI: '', PORT: '' }).MONGODB_URI).toBeUndefined();
  });
});
