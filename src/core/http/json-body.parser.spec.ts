import { nestsDeeperThan } from './json-body.parser';

const deep = (depth: number) => Buffer.from(`${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`);

describe('nestsDeeperThan', () => {
  it('counts objects and arrays', () => {
    expect(nestsDeeperThan(deep(16), 32)).toBe(false); // 32 levels
    expect(nestsDeeperThan(deep(17), 32)).toBe(true); // 34 levels
    expect(nestsDeeperThan(Buffer.from('[[],[],[[]]]'), 3)).toBe(false);
    expect(nestsDeeperThan(Buffer.from('[[],[],[[[]]]]'), 3)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan(Buffer.from(JSON.stringify({ text: '[[[[{{{{' })), 1)).toBe(false);
    expect(nestsDeeperThan(Buffer.from(JSON.stringify({ text: 'say \\"[[[[\\" and "{{{{"' })), 1)).toBe(false);
    expect(nestsDeeperThan(Buffer.from(JSON.stringify({ text: 'ñandú 🦩 [[[[' })), 1)).toBe(false);
  });

  it('reads a 1 MB body quickly enough for the request path', () => {
    const body = Buffer.from(
      JSON.stringify({ rows: Array.from({ length: 10_000 }, (_, i) => ({ number: `+52155${i}`, tags: ['a', 'b'], name: `Lead ${i} [x]` })) }),
    );
    expect(nestsDeeperThan(body, 32)).toBe(false);
  });
});
