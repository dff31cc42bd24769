import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { MigrationRunner } from '../src/migrations/migration-runner.service';
import { CompaniesService } from '../src/tenancy/companies.service';
import { startTestApp, type TestApp } from './support/test-app';

/** Index specs in name order, with key fields in declared order (order matters for compound indexes). */
async function indexesOf(collection: { listIndexes(): { toArray(): Promise<Array<{ name?: string; key: object; unique?: boolean }>> } }) {
  const indexes = await collection.listIndexes().toArray();
  return indexes
    .map(({ name, key, unique }) => ({ name, key: Object.entries(key), unique: !!unique }))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

describe('migrations', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('registers the four launch companies on a fresh install', async () => {
    const companies = await t.app.get(CompaniesService).list();
    expect(companies.map((c) => [c.slug, c.provider])).toEqual([
      ['diocsa', 'whatsapp-web'],
      ['mitsubishi', 'whatsapp-web'],
      ['quicklearning', 'twilio'],
      ['simple-green', 'whatsapp-web'],
    ]);
    expect(companies.find((c) => c.slug === 'quicklearning')?.cluster).toBe('quicklearning');
  });

  it('creates exactly the prospect and chat indexes in every company database', async () => {
    const control = t.app.get<Connection>(getConnectionToken());
    for (const company of await t.app.get(CompaniesService).list()) {
      const db = control.useDb(company.dbName).db!;
      const records = await indexesOf(db.collection('records'));
      const chats = await indexesOf(db.collection('whatsappchats'));
      expect(records).toEqual([
        { name: '_id_', key: [['_id', 1]], unique: false },
        {
          name: 'records_listing_by_update',
          key: [
            ['c_name', 1],
            ['tableSlug', 1],
            ['updatedAt', -1],
            ['_id', -1],
          ],
          unique: false,
        },
        {
          name: 'records_prospect_number_unique',
          key: [
            ['tableSlug', 1],
            ['c_name', 1],
            ['data.number', 1],
          ],
          unique: true,
        },
      ]);
      expect((await indexesOf(db.collection('messages'))).map((index) => index.name)).toEqual([
        '_id_',
        'messages_chat_listing_by_time',
        'messages_provider_id_unique',
      ]);
      expect(chats).toEqual([
        { name: '_id_', key: [['_id', 1]], unique: false },
        {
          name: 'chats_phone_session_unique',
          key: [
            ['phone', 1],
            ['session.name', 1],
          ],
          unique: true,
        },
        {
          name: 'chats_session_listing_by_update',
          key: [
            ['session.name', 1],
            ['updatedAt', -1],
            ['_id', -1],
          ],
          unique: false,
        },
      ]);
    }
  });

  it('records what it applied and applies nothing twice', async () => {
    const report = await t.app.get(MigrationRunner).migrateAll();
    expect(report.control).toEqual([]);
    const sessions = await indexesOf(t.app.get<Connection>(getConnectionToken()).db!.collection('sessions'));
    expect(sessions.map((index) => index.name)).toEqual([
      '_id_',
      'sessions_company_listing',
      'sessions_company_status',
      'sessions_owner',
      'sessions_resume_order',
    ]);
    expect(Object.values(report.companies)).toEqual([{ applied: [] }, { applied: [] }, { applied: [] }, { applied: [] }]);
  });

  it('prepares the database of a company created through the API', async () => {
    await t.admin('post', '/api/v1/companies').send({ slug: 'acme', displayName: 'Acme', provider: 'baileys' }).expect(201);
    const control = t.app.get<Connection>(getConnectionToken());
    const company = await t.app.get(CompaniesService).get('acme');
    const names = (await control.useDb(company.dbName).db!.collection('records').listIndexes().toArray()).map((i) => i.name);
    expect(names).toContain('records_prospect_number_unique');
  });
});
