import type { Connection } from 'mongoose';
import type { SessionRecord } from '../../src/sessions/sessions.repository';
import type { CompanyRecord } from '../../src/tenancy/company';

const SEEDED_AT = new Date();

/** Session `index` of a run: spread round-robin over the companies, named so that the name alone is unique. */
export function sessionAt(companies: CompanyRecord[], prefix: string, index: number): { company: CompanyRecord; name: string } {
  return { company: companies[index % companies.length], name: `${prefix}${index}` };
}

/**
 * Writes what `SessionsService.create` and a QR scan (`SimulatorAdapter.link`) would have written for
 * `count` sessions, in one `insertMany` per collection instead of two statements per session:
 * the session documents (control database, shape of `SessionDocument`, stopped) and each
 * company's `simulator_auth` entries, so every start goes straight to ready without a QR.
 */
export async function seedLinkedSessions(control: Connection, companies: CompanyRecord[], prefix: string, count: number): Promise<void> {
  const now = SEEDED_AT;
  const sessions = [];
  const auth = new Map<string, Array<{ _id: string; linkedAt: Date }>>(companies.map((c) => [c.dbName, []]));
  for (let i = 0; i < count; i++) {
    const { company, name } = sessionAt(companies, prefix, i);
    sessions.push({
      _id: `${company.slug}:${name}`,
      company: company.slug,
      name,
      provider: company.provider,
      desired: 'stopped',
      status: 'STOPPED',
      createdAt: now,
      updatedAt: now,
    });
    auth.get(company.dbName)?.push({ _id: name, linkedAt: now });
  }
  const db = control.db;
  if (!db) throw new Error('control connection has no database handle');
  await db.collection<{ _id: string }>('sessions').insertMany(sessions);
  for (const [dbName, docs] of auth) {
    if (docs.length > 0) await control.getClient().db(dbName).collection<{ _id: string }>('simulator_auth').insertMany(docs);
  }
}

/** What `SessionsRepository.find` returns for a seeded session that was never started (all seeded sessions are whatsapp-web). */
export function seededRecord(company: string, name: string): SessionRecord {
  return { company, name, provider: 'whatsapp-web', desired: 'stopped', status: 'STOPPED', createdAt: SEEDED_AT, updatedAt: SEEDED_AT };
}
