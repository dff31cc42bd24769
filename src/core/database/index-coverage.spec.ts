import { Types } from 'mongoose';
import { coveringIndex, describeShape, filterShapes, queriesOf, type IndexSpec, type QueryShape } from './index-coverage';

const indexes: IndexSpec[] = [
  { name: '_id_', key: [['_id', 1]] },
  {
    name: 'messages_provider_id_unique',
    key: [
      ['session.name', 1],
      ['providerMessageId', 1],
    ],
    unique: true,
  },
  {
    name: 'messages_chat_listing',
    key: [
      ['session.name', 1],
      ['phone', 1],
      ['timestamp', -1],
    ],
  },
  {
    name: 'outbox_due',
    key: [
      ['status', 1],
      ['nextAttemptAt', 1],
    ],
  },
];

const shape = (filter: Record<string, unknown>, sort?: Record<string, number>): QueryShape => ({
  filter: filterShapes(filter)[0],
  sort: Object.entries(sort ?? {}).map(([path, direction]) => ({ path, direction: direction < 0 ? -1 : 1 })),
});

describe('filterShapes', () => {
  it('tells equality from range and other operators', () => {
    expect(
      filterShapes({
        a: 'x',
        b: { $in: [1, 2] },
        c: { $gte: 1, $lt: 5 },
        d: { $ne: null },
        e: /^x/,
        f: new Types.ObjectId(),
        g: new Date(),
        h: { nested: 1 },
        $comment: 'ignored',
      }),
    ).toEqual([
      [
        { path: 'a', kind: 'eq' },
        { path: 'b', kind: 'eq' },
        { path: 'c', kind: 'range' },
        { path: 'd', kind: 'other' },
        { path: 'e', kind: 'other' },
        { path: 'f', kind: 'eq' },
        { path: 'g', kind: 'eq' },
        { path: 'h', kind: 'eq' },
      ],
    ]);
  });

  it('splits $or into branches and flattens $and', () => {
    const branches = filterShapes({ s: 1, $or: [{ a: 1 }, { b: { $gt: 1 } }], $and: [{ c: 1 }, { c: { $exists: true } }] });
    expect(branches.map((fields) => describeShape({ filter: fields, sort: [] }))).toEqual(['{ a: eq, c: eq, s: eq }', '{ b: range, c: eq, s: eq }']);
  });
});

describe('queriesOf', () => {
  it('reads the filter and sort of each command', () => {
    expect(queriesOf('find', { find: 'messages', filter: { phone: '1' }, sort: { timestamp: -1 }, limit: 20 })).toEqual([
      { command: 'find', collection: 'messages', filter: [{ path: 'phone', kind: 'eq' }], sort: [{ path: 'timestamp', direction: -1 }] },
    ]);
    expect(queriesOf('findAndModify', { findAndModify: 'outbox', query: { status: 'queued' }, sort: { nextAttemptAt: 1 } })[0].sort).toEqual([
      { path: 'nextAttemptAt', direction: 1 },
    ]);
    expect(
      queriesOf('update', {
        update: 'records',
        updates: [
          { q: { a: 1 }, u: {} },
          { q: { b: 1 }, u: {} },
        ],
      }).map((q) => q.filter),
    ).toEqual([[{ path: 'a', kind: 'eq' }], [{ path: 'b', kind: 'eq' }]]);
    expect(
      queriesOf('find', {
        find: 'messages',
        filter: {},
        sort: new Map([
          ['a', 1],
          ['b', -1],
        ]),
      })[0].sort,
    ).toEqual([
      { path: 'a', direction: 1 },
      { path: 'b', direction: -1 },
    ]);
    expect(queriesOf('delete', { delete: 'records', deletes: [{ q: { a: 1 }, limit: 1 }] })).toHaveLength(1);
    expect(queriesOf('distinct', { distinct: 'records', key: 'x', query: { a: 1 } })[0].filter).toEqual([{ path: 'a', kind: 'eq' }]);
  });

  it('takes the leading $match and a $sort right after it from an aggregate', () => {
    const [query] = queriesOf('aggregate', { aggregate: 'messages', pipeline: [{ $match: { a: 1 } }, { $sort: { t: -1 } }, { $group: {} }] });
    expect(describeShape(query)).toBe('{ a: eq } sort { t: -1 }');
    expect(describeShape(queriesOf('aggregate', { aggregate: 'messages', pipeline: [{ $group: { _id: '$a' } }] })[0])).toBe('{}');
    expect(queriesOf('aggregate', { aggregate: 1, pipeline: [{ $currentOp: {} }] })).toEqual([]);
  });

  it('ignores inserts, bookkeeping and metadata counts', () => {
    expect(queriesOf('insert', { insert: 'messages', documents: [{}] })).toEqual([]);
    expect(queriesOf('createIndexes', { createIndexes: 'messages', indexes: [] })).toEqual([]);
    expect(queriesOf('count', { count: 'messages' })).toEqual([]);
    expect(queriesOf('count', { count: 'messages', query: { a: 1 } })).toHaveLength(1);
  });
});

describe('coveringIndex', () => {
  it('covers equality fields forming an index prefix, in any order', () => {
    expect(coveringIndex(shape({ phone: '1', 'session.name': 'a' }), indexes)).toBe('messages_chat_listing');
    expect(coveringIndex(shape({ 'session.name': 'a' }), indexes)).toBe('messages_provider_id_unique');
  });

  it('refuses equality fields that are not a prefix', () => {
    expect(coveringIndex(shape({ phone: '1' }), indexes)).toBeUndefined();
    expect(coveringIndex(shape({ 'session.name': 'a', text: 'x' }), indexes)).toBeUndefined();
  });

  it('covers a unique index fully pinned by equality, whatever else is filtered', () => {
    expect(coveringIndex(shape({ 'session.name': 'a', providerMessageId: 'p', phone: { $ne: '1' } }), indexes)).toBe('messages_provider_id_unique');
  });

  it('needs the sort right after the equality prefix, all in or all against the index direction', () => {
    expect(coveringIndex(shape({ 'session.name': 'a', phone: '1' }, { timestamp: -1 }), indexes)).toBe('messages_chat_listing');
    expect(coveringIndex(shape({ 'session.name': 'a', phone: '1' }, { timestamp: 1 }), indexes)).toBe('messages_chat_listing');
    expect(coveringIndex(shape({ 'session.name': 'a' }, { timestamp: -1 }), indexes)).toBeUndefined();
    expect(coveringIndex(shape({ status: 'queued' }, { nextAttemptAt: 1, _id: 1 }), indexes)).toBeUndefined();
  });

  it('checks mixed sort directions against the index as a whole', () => {
    const listing: IndexSpec[] = [
      {
        name: 'l',
        key: [
          ['a', 1],
          ['b', -1],
        ],
      },
    ];
    expect(coveringIndex(shape({}, { a: 1, b: -1 }), listing)).toBe('l');
    expect(coveringIndex(shape({}, { a: -1, b: 1 }), listing)).toBe('l');
    expect(coveringIndex(shape({}, { a: 1, b: 1 }), listing)).toBeUndefined();
  });

  it('drops sort fields pinned by equality', () => {
    expect(coveringIndex(shape({ 'session.name': 'a' }, { 'session.name': 1, providerMessageId: 1 }), indexes)).toBe('messages_provider_id_unique');
  });

  it('takes one range field after the equality prefix, or as the sort', () => {
    expect(coveringIndex(shape({ status: 'queued', nextAttemptAt: { $lte: new Date() } }), indexes)).toBe('outbox_due');
    expect(coveringIndex(shape({ status: 'queued', nextAttemptAt: { $lte: new Date() } }, { nextAttemptAt: 1 }), indexes)).toBe('outbox_due');
    expect(coveringIndex(shape({ status: 'queued', leaseUntil: { $lt: new Date() } }), indexes)).toBeUndefined();
    expect(coveringIndex(shape({ nextAttemptAt: { $lte: new Date() } }), indexes)).toBeUndefined();
  });

  it('always covers _id and never an empty filter without a sort', () => {
    expect(coveringIndex(shape({ _id: 'x', anything: 1 }), indexes)).toBe('_id_');
    expect(coveringIndex(shape({ _id: { $in: ['a', 'b'] } }), [])).toBe('_id_');
    expect(coveringIndex(shape({}), indexes)).toBeUndefined();
    expect(coveringIndex(shape({}, { status: 1 }), indexes)).toBe('outbox_due');
  });
});

describe('describeShape', () => {
  it('orders fields by path and keeps the sort order', () => {
    expect(describeShape(shape({ b: { $gt: 1 }, a: 1 }, { z: -1, y: 1 }))).toBe('{ a: eq, b: range } sort { z: -1, y: 1 }');
    expect(describeShape(shape({}))).toBe('{}');
  });
});
