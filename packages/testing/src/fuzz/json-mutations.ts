import fc from 'fast-check';

/** One edit of a parsed JSON document: replace the node at the `pick`-th path, or delete it. */
export interface JsonMutation {
  pick: number;
  /** The new value, or `undefined` to delete the key / array element. */
  value: unknown;
}

/** Values parsers mishandle: wrong types, empty containers, sizes at 2³¹ and 2⁵³, negatives, huge floats. */
const EXTREME_JSON: readonly unknown[] = [
  null, true, false, 0, -1, 1, 0.5, -0.0, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, '', 'x', '-1', 'NaN', '__proto__', [], {}, [[]], { '': null },
  undefined,
];

/** Mutations of a JSON document: replace any node (by position in a depth-first walk) or delete it. */
export function jsonMutations(): fc.Arbitrary<JsonMutation[]> {
  const value = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...EXTREME_JSON) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
  return fc.array(fc.record({ pick: fc.nat(), value }), { minLength: 1, maxLength: 3 });
}

function paths(node: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path);
  if (Array.isArray(node)) node.forEach((v, i) => paths(v, [...path, i], out));
  else if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) paths(v, [...path, k], out);
  return out;
}

/** Applies mutations to a deep copy of `doc` (deleting the root leaves `null`). */
export function applyJsonMutations(doc: unknown, mutations: readonly JsonMutation[]): unknown {
  let root = structuredClone(doc);
  for (const m of mutations) {
    const all = paths(root);
    const path = all[m.pick % all.length]!;
    if (path.length === 0) {
      root = m.value === undefined ? null : structuredClone(m.value);
      continue;
    }
    let parent = root as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    if (m.value !== undefined) parent[last] = structuredClone(m.value);
    else if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  }
  return root;
}

/** A one-line summary of JSON mutations, for failure messages: with `doc`, each names the path it edits. */
export function describeJsonMutations(mutations: readonly JsonMutation[], doc?: unknown): string {
  let current = doc;
  return mutations
    .map((m) => {
      const all = doc === undefined ? undefined : paths(current);
      const where = all ? `/${all[m.pick % all.length]!.join('/')}` : `node #${m.pick}`;
      if (doc !== undefined) current = applyJsonMutations(current, [m]);
      return `${where} := ${m.value === undefined ? '<deleted>' : JSON.stringify(m.value)}`;
    })
    .join('; ');
}
