import { Types } from 'mongoose';

export interface PageCursor {
  at: Date;
  id: string;
}

/** Every string of this shape is a cursor the API can use, so the OpenAPI document states it exactly. */
export const PAGE_CURSOR_PATTERN = /^[0-9]{1,15}_[0-9a-f]{24}$/;

/** Keyset cursor: the sort date (epoch ms) and id of the last item of a page. */
export function encodePageCursor(cursor: PageCursor): string {
  return `${cursor.at.getTime()}_${cursor.id.toLowerCase()}`;
}

export function decodePageCursor(raw: string): PageCursor | null {
  if (!PAGE_CURSOR_PATTERN.test(raw)) return null;
  const [ms, id] = raw.split('_');
  return { at: new Date(Number(ms)), id };
}

/** The filter for "older than the cursor" on a (date desc, _id desc) sort. */
export function olderThan(field: string, cursor: PageCursor): Record<string, unknown> {
  return { $or: [{ [field]: { $lt: cursor.at } }, { [field]: cursor.at, _id: { $lt: new Types.ObjectId(cursor.id) } }] };
}
