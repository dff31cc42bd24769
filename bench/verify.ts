import type { mongo } from 'mongoose';
import { PROSPECT_TABLE } from '../src/prospects/prospect';
import type { Workload } from './workload';

/** Throws unless the database holds exactly what the workload means: one record per number, every message counted. */
export async function verify(variant: string, records: mongo.Collection, company: string, workload: Workload): Promise<void> {
  const docs = await records.find({ tableSlug: PROSPECT_TABLE, c_name: company }, { projection: { data: 1 } }).toArray();
  const latestName = new Map(workload.upserts.map((upsert) => [upsert.number, upsert.set?.name]));
  const messages = docs.reduce((sum, doc) => sum + Number(doc.data?.messageCount ?? 0), 0);
  const problems: string[] = [];
  if (docs.length !== workload.distinct) problems.push(`${docs.length} records, expected ${workload.distinct}`);
  if (messages !== workload.upserts.length) problems.push(`sum of data.messageCount is ${messages}, expected ${workload.upserts.length}`);
  const staleNames = docs.filter((doc) => doc.data?.name !== latestName.get(doc.data?.number)).length;
  if (staleNames > 0) problems.push(`${staleNames} records do not carry their latest name`);
  const noSource = docs.filter((doc) => doc.data?.firstSource !== 'whatsapp').length;
  if (noSource > 0) problems.push(`${noSource} records lack data.firstSource`);
  if (problems.length > 0) throw new Error(`${variant} wrote wrong data: ${problems.join('; ')}`);
}
