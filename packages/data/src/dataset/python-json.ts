/**
 * JSON as Python's `json` module reads and writes it. nnssl saves with `json.dump(obj, indent=4,
 * sort_keys=True)`, which escapes non-ASCII characters and may write the non-standard tokens NaN,
 * Infinity and -Infinity (pandas gives NaN for empty CSV cells).
 */

/**
 * Parses JSON that may contain Python's NaN / Infinity / -Infinity tokens outside strings; they become
 * null, NaN and ±Infinity are not representable in JSON written back.
 * @throws SyntaxError as JSON.parse does
 */
export function parsePythonJson(text: string): unknown {
  return JSON.parse(replaceNonStandardNumbers(text));
}

function replaceNonStandardNumbers(text: string): string {
  if (!/NaN|Infinity/.test(text)) return text;
  let out = '';
  let inString = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (ch === '"') inString = false;
      i++;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      i++;
      continue;
    }
    const rest = text.startsWith('NaN', i) ? 3 : text.startsWith('-Infinity', i) ? 9 : text.startsWith('Infinity', i) ? 8 : 0;
    if (rest) {
      out += 'null';
      i += rest;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // Python sorts str keys by code point; for keys outside the surrogate range that is UTF-16 order too.
    for (const key of Object.keys(value).sort(compareCodePoints)) out[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Orders strings by Unicode code point, as Python's `sorted` does. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 order equals code-point order except when a surrogate meets a unit in U+E000..U+FFFF.
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx === sy) return x < y ? -1 : 1;
    return sx ? 1 : -1;
  }
  return a.length - b.length;
}

/**
 * Serialises like `json.dumps(value, indent=4, sort_keys=True)` (ensure_ascii on): keys sorted, four
 * spaces, non-ASCII as \\uXXXX. Numbers are written as JavaScript writes them (Python writes 25.0 where
 * JavaScript writes 25; both read back as the same number).
 */
export function stringifyPythonJson(value: unknown): string {
  const text = JSON.stringify(sortKeysDeep(value), null, 4);
  return text.replace(/[\u007f-\uffff]/g, (c) => (c === '\u007f' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
