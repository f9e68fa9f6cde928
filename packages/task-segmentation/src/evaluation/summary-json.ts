/**
 * JSON as nnU-Net's `save_json(..., sort_keys=True)` writes it (Python's json with indent 4): keys sorted,
 * NaN and ±Infinity as the bare tokens `NaN`, `Infinity`, `-Infinity` (Python's json reads them back;
 * `JSON.parse` does not, see {@link parseNnunetJson}).
 */
export function toNnunetJson(value: unknown, indent = 4): string {
  const pad = (depth: number) => ' '.repeat(indent * depth);
  const write = (v: unknown, depth: number): string => {
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return 'NaN';
      if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
      return JSON.stringify(v);
    }
    if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[\n${v.map((x) => pad(depth + 1) + write(x, depth + 1)).join(',\n')}\n${pad(depth)}]`;
    }
    const keys = Object.keys(v).sort();
    if (keys.length === 0) return '{}';
    const rec = v as Record<string, unknown>;
    return `{\n${keys.map((k) => `${pad(depth + 1)}${JSON.stringify(k)}: ${write(rec[k], depth + 1)}`).join(',\n')}\n${pad(depth)}}`;
  };
  return `${write(value, 0)}\n`;
}

/** Parses JSON that may hold Python's NaN / Infinity tokens (outside strings). */
export function parseNnunetJson(text: string): unknown {
  const marked = text.replace(/("(?:[^"\\]|\\.)*")|(-?Infinity|NaN)/g, (m, str: string | undefined) => str ?? `{"__nonfinite__":"${m}"}`);
  return JSON.parse(marked, (_k, v: unknown) => {
    if (v && typeof v === 'object' && '__nonfinite__' in v) {
      const t = (v as { __nonfinite__: string }).__nonfinite__;
      return t === 'NaN' ? NaN : t === 'Infinity' ? Infinity : -Infinity;
    }
    return v;
  });
}
