import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentKeys } from './environment.schema';

const root = join(__dirname, '..', '..', '..');
const everyKey = environmentKeys();

describe('environment documentation', () => {
  it('reads the keys from the schema', () => {
    expect(everyKey).toEqual(expect.arrayContaining(['PORT', 'MONGODB_URI', 'ADMIN_API_KEY', 'SESSIONS_MAX_WHATSAPP_WEB']));
  });

  it('documents every variable in .env.example', () => {
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
    expect(everyKey.filter((key) => !documented.has(key))).toEqual([]);
    expect([...documented].filter((key) => !everyKey.includes(key))).toEqual([]);
  });

  it('sets every production variable in render.yaml', () => {
    const blueprint = readFileSync(join(root, 'render.yaml'), 'utf8');
    const configured = new Set([...blueprint.matchAll(/- key: ([A-Z][A-Z0-9_]+)/g)].map((match) => match[1]));
    const localOnly = [
      'PORT',
      'EMBEDDED_DB_DIR',
      'EMBEDDED_DB_PORT',
      'FERRETDB_BIN',
      'TWILIO_API_BASE_URL',
      'BAILEYS_WS_URL',
      'CHROMIUM_HOST_RESOLVER_RULES',
      'SESSIONS_PROVIDER_OVERRIDE',
      'SESSION_OWNER_ID',
      'OUTBOUND_MEDIA_ALLOW_PRIVATE',
      'MEDIA_ALLOW_PRIVATE',
      'BAILEYS_MEDIA_ORIGIN',
      'WEBHOOK_ALLOW_PRIVATE_TARGETS',
    ];
    expect(everyKey.filter((key) => !configured.has(key) && !localOnly.includes(key))).toEqual([]);
  });
});
