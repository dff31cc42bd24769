import { readFileSync } from 'node:fs';

export interface HeapGroup {
  /** Constructor name for objects, `closure <function>` for functions, `(<type>) <name>` for V8 internals. */
  name: string;
  count: number;
  bytes: number;
}

export interface Attribution {
  sessions: number;
  /** Sum of the self sizes that grew between the two snapshots, per session. */
  grownBytesPerSession: number;
  /** The largest growths: objects added per session and their shallow (self) size per session. */
  top: Array<{ name: string; perSession: number; bytesPerSession: number }>;
}

interface SnapshotFile {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/**
 * Which kinds of heap objects the sessions added: both snapshots are grouped by constructor (or V8
 * type), and the groups that grew are ranked by the bytes they added. Shallow sizes only: a Map's
 * entries show up as its backing `(array)`, a string under its string type.
 */
export function attribute(beforePath: string, afterPath: string, sessions: number, limit = 15): Attribution {
  const before = groups(beforePath);
  const after = groups(afterPath);
  const grown: HeapGroup[] = [];
  for (const [name, now] of after) {
    const then = before.get(name) ?? { name, count: 0, bytes: 0 };
    if (now.bytes > then.bytes) grown.push({ name, count: now.count - then.count, bytes: now.bytes - then.bytes });
  }
  grown.sort((a, b) => b.bytes - a.bytes);
  const total = grown.reduce((sum, group) => sum + group.bytes, 0);
  return {
    sessions,
    grownBytesPerSession: Math.round(total / sessions),
    top: grown.slice(0, limit).map((group) => ({
      name: group.name,
      perSession: Math.round((group.count / sessions) * 100) / 100,
      bytesPerSession: Math.round((group.bytes / sessions) * 10) / 10,
    })),
  };
}

function groups(path: string): Map<string, HeapGroup> {
  const file = JSON.parse(readFileSync(path, 'utf8')) as SnapshotFile;
  const fields = file.snapshot.meta.node_fields;
  const types = file.snapshot.meta.node_types[0];
  const stride = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
  const byName = new Map<string, HeapGroup>();
  for (let i = 0; i < file.nodes.length; i += stride) {
    const type = types[file.nodes[i + typeAt]];
    if (type === 'synthetic') continue;
    const name = label(type, file.strings[file.nodes[i + nameAt]] ?? '');
    const group = byName.get(name) ?? { name, count: 0, bytes: 0 };
    group.count++;
    group.bytes += file.nodes[i + sizeAt];
    byName.set(name, group);
  }
  return byName;
}

function label(type: string, name: string): string {
  if (type === 'object') return name || '(anonymous object)';
  if (type === 'closure') return `closure ${name || '(anonymous)'}`;
  // A string node's name is its content, a number's its value, code its function: group those by type only.
  if (type.includes('string') || type.includes('number') || type === 'code' || type === 'regexp') return `(${type})`;
  return `(${type}) ${name.slice(0, 60)}`;
}
