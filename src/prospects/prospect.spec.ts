import { mergeUpserts, type ProspectUpsert } from './prospect';

describe('mergeUpserts', () => {
  it('returns nothing for an empty batch', () => {
    expect(mergeUpserts([])).toEqual([]);
  });

  it('normalises a single upsert, filling absent parts with empty objects', () => {
    expect(mergeUpserts([{ number: '+525512345678' }])).toEqual([{ number: '+525512345678', set: {}, setOnInsert: {}, inc: {}, max: {}, indexes: [0] }]);
  });

  it('merges repeats of one number into one entry answering every caller index', () => {
    const merged = mergeUpserts([
      { number: '+14155552671', set: { name: 'Ana' } },
      { number: '+14155552671', set: { stage: 'lead' } },
      { number: '+14155552671', inc: { messages: 1 } },
    ]);

    expect(merged).toHaveLength(1);
    expect(merged[0].number).toBe('+14155552671');
    expect(merged[0].indexes).toEqual([0, 1, 2]);
    expect(merged[0].set).toEqual({ name: 'Ana', stage: 'lead' });
    expect(merged[0].inc).toEqual({ messages: 1 });
  });

  it('lets the later `set` value win for the same field', () => {
    const [merged] = mergeUpserts([
      { number: '+1', set: { name: 'first', stage: 'lead' } },
      { number: '+1', set: { name: 'second' } },
      { number: '+1', set: { name: 'third' } },
    ]);
    expect(merged.set).toEqual({ name: 'third', stage: 'lead' });
  });

  it('lets the first `setOnInsert` value win for the same field, still adding new fields', () => {
    const [merged] = mergeUpserts([
      { number: '+1', setOnInsert: { firstSource: 'whatsapp' } },
      { number: '+1', setOnInsert: { firstSource: 'twilio', firstCampaign: 'spring' } },
      { number: '+1', setOnInsert: { firstSource: 'import', firstCampaign: 'autumn' } },
    ]);
    expect(merged.setOnInsert).toEqual({ firstSource: 'whatsapp', firstCampaign: 'spring' });
  });

  it('sums `inc` counters per field', () => {
    const [merged] = mergeUpserts([
      { number: '+1', inc: { messages: 1 } },
      { number: '+1', inc: { messages: 2, calls: 1 } },
      { number: '+1' },
      { number: '+1', inc: { messages: -1, calls: 4 } },
    ]);
    expect(merged.inc).toEqual({ messages: 2, calls: 5 });
  });

  it('keeps distinct numbers separate, in first-seen order, each with its own indexes', () => {
    const merged = mergeUpserts([
      { number: '+3', set: { name: 'c' } },
      { number: '+1', inc: { n: 1 } },
      { number: '+3', set: { name: 'c2' } },
      { number: '+2' },
      { number: '+1', inc: { n: 1 } },
    ]);

    expect(merged.map((m) => m.number)).toEqual(['+3', '+1', '+2']);
    expect(merged.map((m) => m.indexes)).toEqual([[0, 2], [1, 4], [3]]);
    expect(merged[0].set).toEqual({ name: 'c2' });
    expect(merged[1].inc).toEqual({ n: 2 });
    expect(merged[2]).toEqual({ number: '+2', set: {}, setOnInsert: {}, inc: {}, max: {}, indexes: [3] });
  });

  it('keeps the latest of each forward-only field, whatever the order', () => {
    const older = new Date('2026-01-01T00:00:00Z');
    const newer = new Date('2026-01-02T00:00:00Z');
    const [merged] = mergeUpserts([
      { number: '+1', max: { lastMessageAt: newer } },
      { number: '+1', max: { lastMessageAt: older } },
    ]);
    expect(merged.max).toEqual({ lastMessageAt: newer });
  });

  it('does not modify the caller-supplied upserts', () => {
    const upserts: ProspectUpsert[] = [
      { number: '+1', set: { a: 1 }, setOnInsert: { s: 1 }, inc: { n: 1 } },
      { number: '+1', set: { a: 2 }, setOnInsert: { s: 2 }, inc: { n: 5 } },
    ];
    const before = structuredClone(upserts);
    mergeUpserts(upserts);
    expect(upserts).toEqual(before);
  });
});
