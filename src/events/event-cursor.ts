/** Up to this many events share a page; a cursor is `page × PAGE_CAPACITY + index`, so it only grows. */
export const PAGE_CAPACITY = 1_000;

export function cursorOf(page: number, index: number): number {
  return page * PAGE_CAPACITY + index;
}

export function positionOf(cursor: number): { page: number; index: number } {
  return { page: Math.floor(cursor / PAGE_CAPACITY), index: cursor % PAGE_CAPACITY };
}
