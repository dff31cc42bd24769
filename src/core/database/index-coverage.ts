/**
 * Query shapes of driver commands, and whether a declared index serves them without a collection
 * scan or a blocking sort. Used by the e2e query audit; pure, so it also works on logged commands.
 */

export type FieldKind = 'eq' | 'range' | 'other';

export interface FilterField {
  path: string;
  kind: FieldKind;
}

export interface SortField {
  path: string;
  direction: 1 | -1;
}

export interface QueryShape {
  filter: FilterField[];
  sort: SortField[];
}

/** One filtered statement of a command; a filter with `$or` yields one query per branch. */
export interface CommandQuery extends QueryShape {
  command: string;
  collection: string;
}

export interface IndexSpec {
  name: string;
  key: Array<[path: string, direction: unknown]>;
  unique?: boolean;
}

const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);
const EQUALITY_OPERATORS = new Set(['$eq', '$in']);
const IGNORED_TOP_LEVEL = new Set(['$comment']);

/** The filtered reads and writes a command carries; inserts and bookkeeping commands carry none. */
export function queriesOf(commandName: string, command: Record<string, unknown>): CommandQuery[] {
  const collection = command[commandName];
  if (typeof collection !== 'string') return [];
  const queries = (filter: unknown, sort?: unknown, name = commandName): CommandQuery[] =>
    filterShapes(asDocument(filter)).map((fields) => ({ command: name, collection, filter: fields, sort: sortShape(sort) }));
  switch (commandName) {
    case 'find':
      return queries(command.filter, command.sort);
    case 'findAndModify':
      return queries(command.query, command.sort);
    case 'update':
      return asArray(command.updates).flatMap((statement) => queries(asDocument(statement).q));
    case 'delete':
      return asArray(command.deletes).flatMap((statement) => queries(asDocument(statement).q));
    case 'distinct':
      return queries(command.query);
    case 'count':
      // Without a query the server answers from collection metadata.
      return isEmpty(command.query) ? [] : queries(command.query);
    case 'aggregate': {
      const stages = asArray(command.pipeline).map(asDocument);
      const match = '$match' in (stages[0] ?? {}) ? stages[0].$match : {};
      const sortStage = stages['$match' in (stages[0] ?? {}) ? 1 : 0];
      return queries(match, sortStage && '$sort' in sortStage ? sortStage.$sort : undefined);
    }
    default:
      return [];
  }
}

/** Field paths of a filter, one list per `$or` branch (outer fields repeated in each). */
export function filterShapes(filter: Record<string, unknown>): FilterField[][] {
  let branches: FilterField[][] = [[]];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and') {
      for (const part of asArray(value)) branches = product(branches, filterShapes(asDocument(part)));
    } else if (key === '$or') {
      branches = product(
        branches,
        asArray(value).flatMap((part) => filterShapes(asDocument(part))),
      );
    } else if (key.startsWith('$')) {
      if (!IGNORED_TOP_LEVEL.has(key)) branches = product(branches, [[{ path: key, kind: 'other' }]]);
    } else {
      branches = product(branches, [[{ path: key, kind: kindOf(value) }]]);
    }
  }
  return branches.map(mergeSamePath);
}

/** The driver sends `sort` as a Map (its `formatSort`); logged or hand-built commands carry an object. */
export function sortShape(sort: unknown): SortField[] {
  if (!sort || typeof sort !== 'object') return [];
  const entries = sort instanceof Map ? [...(sort as Map<string, unknown>)] : Object.entries(sort as Record<string, unknown>);
  return entries.map(([path, value]) => ({
    path,
    direction: value === -1 || value === 'desc' || value === 'descending' || (typeof value === 'number' && value < 0) ? -1 : 1,
  }));
}

/**
 * The name of an index that serves the shape, or undefined. Covered means: `_id` in the filter; or
 * a unique index whose keys are all equality fields (one document at most); or an index that starts
 * with exactly the equality fields (any order among them), followed by the sort fields in order
 * (directions all as indexed or all reversed), or, without a sort, by one of the range fields.
 * Sort fields pinned by equality are dropped; other range fields are filtered after the index scan.
 * An empty filter without a sort reads the whole collection and is never covered.
 */
export function coveringIndex(shape: QueryShape, indexes: IndexSpec[]): string | undefined {
  if (shape.filter.some((field) => field.path === '_id' && field.kind !== 'other')) return '_id_';
  const equality = new Set(shape.filter.filter((field) => field.kind === 'eq').map((field) => field.path));
  const ranges = new Set(shape.filter.filter((field) => field.kind !== 'eq').map((field) => field.path));
  const sort = shape.sort.filter((field) => !equality.has(field.path));
  for (const index of indexes) {
    const paths = index.key.map(([path]) => path);
    if (index.unique && paths.every((path) => equality.has(path))) return index.name;
    if (paths.length < equality.size || !paths.slice(0, equality.size).every((path) => equality.has(path))) continue;
    const rest = index.key.slice(equality.size);
    if (sort.length > 0) {
      if (sortMatches(sort, rest)) return index.name;
    } else if (ranges.size > 0) {
      if (rest.length > 0 && ranges.has(rest[0][0])) return index.name;
    } else if (equality.size > 0) {
      return index.name;
    }
  }
  return undefined;
}

/** A stable, readable form of a shape: fields by path, then the sort in order. */
export function describeShape(shape: QueryShape): string {
  const fields = [...shape.filter].sort((a, b) => a.path.localeCompare(b.path)).map((field) => `${field.path}: ${field.kind}`);
  const sort = shape.sort.map((field) => `${field.path}: ${field.direction}`);
  const braces = (items: string[]) => (items.length > 0 ? `{ ${items.join(', ')} }` : '{}');
  return sort.length > 0 ? `${braces(fields)} sort ${braces(sort)}` : braces(fields);
}

function sortMatches(sort: SortField[], keys: IndexSpec['key']): boolean {
  if (keys.length < sort.length) return false;
  const signs = sort.map((field, i) => {
    const [path, direction] = keys[i];
    if (path !== field.path || typeof direction !== 'number' || direction === 0) return 0;
    return Math.sign(direction) === field.direction ? 1 : -1;
  });
  return signs.every((sign) => sign === 1) || signs.every((sign) => sign === -1);
}

function kindOf(value: unknown): FieldKind {
  if (value instanceof RegExp || (value as { _bsontype?: string } | null)?._bsontype === 'BSONRegExp') return 'other';
  if (!isPlainObject(value)) return 'eq';
  const operators = Object.keys(value);
  if (operators.length === 0 || !operators.every((key) => key.startsWith('$'))) return 'eq';
  if (operators.every((op) => EQUALITY_OPERATORS.has(op))) return 'eq';
  if (operators.every((op) => RANGE_OPERATORS.has(op))) return 'range';
  return 'other';
}

function mergeSamePath(fields: FilterField[]): FilterField[] {
  const byPath = new Map<string, FilterField>();
  for (const field of fields) {
    const seen = byPath.get(field.path);
    if (!seen || field.kind === 'eq' || (field.kind === 'range' && seen.kind === 'other')) byPath.set(field.path, field);
  }
  return [...byPath.values()];
}

function product(left: FilterField[][], right: FilterField[][]): FilterField[][] {
  return left.flatMap((a) => right.map((b) => [...a, ...b]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function asDocument(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isEmpty(value: unknown): boolean {
  return !isPlainObject(value) || Object.keys(value).length === 0;
}
