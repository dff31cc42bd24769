import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Logger, type Provider } from '@nestjs/common';
import { appConfig, authConfig, databaseConfig, type AppConfig, type AuthConfig, type DatabaseConfig } from '../core/config/configuration';

export const ADMIN_API_KEY = Symbol('ADMIN_API_KEY');

/**
 * The platform admin key: ADMIN_API_KEY, required in production. Elsewhere, when unset, a key is
 * generated once and kept in a git-ignored file beside the embedded database, so a fresh clone runs.
 */
export const adminKeyProvider: Provider = {
  provide: ADMIN_API_KEY,
  inject: [appConfig.KEY, authConfig.KEY, databaseConfig.KEY],
  useFactory: (app: AppConfig, auth: AuthConfig, database: DatabaseConfig): string => {
    if (auth.adminApiKey) return auth.adminApiKey;
    if (app.nodeEnv === 'production') throw new Error('ADMIN_API_KEY is required in production');
    const file = resolve(dirname(database.embedded.dir), 'admin-api-key');
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    mkdirSync(dirname(file), { recursive: true });
    const key = `vv_admin_${randomBytes(24).toString('base64url')}`;
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    new Logger('AdminKey').warn({ file }, 'ADMIN_API_KEY not set: generated a development admin key into this file');
    return key;
  },
};
