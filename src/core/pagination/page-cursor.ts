import { Types } from 'mongoose';

export interface PageCursor {
  at: Date;
  id: string;
}

/** Opaque keyset cursor: the sort date and id of the last item of a page. */
export function encodePageCursor(cursor: PageCursor): string {
  return Buffer.from(`${cursor.at.toISOString()}|${cursor.id}`).toString('base64url');
}

export function decodePageCursor(raw: string): PageCursor | null {
  const [date, id] = Buffer.from(raw, 'base64url').toString().split('|');
  const at = new Date(date ?? '');
  if (Number.isNaN(at.getTime()) || !id || !Types.ObjectId.isValid(id)) return null;
  return { at, id };
}

/** The filter for "older than the cursor" on a (date desc, _id desc) sort. */
export function olderThan(field: string, cursor: PageCursor): Record<string, unknown> {
  return { $or: [{ [field]: { $lt: cursor.at } }, { [field]: cursor.at, _id: { $lt: new Types.ObjectId(cursor.id) } }] };
}
