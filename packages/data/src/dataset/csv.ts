import { OpenMindError } from '@openmind-ssl/core';

/** A cell after type inference: number, boolean, string, or null for an empty cell (pandas' NaN). */
export type CsvValue = string | number | boolean | null;

/**
 * Splits CSV text into rows of raw strings (RFC 4180: quoted fields, doubled quotes, CRLF or LF).
 * @throws OpenMindError for a quote left open at the end of the text
 */
export function parseCsvRows(text: string, source = 'csv'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new OpenMindError(`${source}: a quoted field is not closed before the end of the file.`);
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|Infinity)$/i;
const BOOLEAN = /^(true|false)$/i;

/**
 * Parses a CSV with a header row into records, inferring each column's type as pandas.read_csv does for
 * the common cases: a column whose non-empty cells are all numbers becomes numeric, all True/False
 * becomes boolean, anything else stays text; empty cells are null.
 * @throws OpenMindError when a row has more cells than the header
 */
export function parseCsv(text: string, source = 'csv'): { columns: string[]; records: Record<string, CsvValue>[] } {
  const rows = parseCsvRows(text, source);
  if (rows.length === 0) return { columns: [], records: [] };
  const columns = rows[0]!;
  const body = rows.slice(1);
  body.forEach((r, i) => {
    if (r.length > columns.length) {
      throw new OpenMindError(`${source}: row ${i + 2} must have at most ${columns.length} cells (the header's), but has ${r.length}.`);
    }
  });
  const kinds = columns.map((_, c) => {
    const cells = body.map((r) => r[c] ?? '').filter((v) => v !== '');
    if (cells.length && cells.every((v) => NUMBER.test(v))) return 'number';
    if (cells.length && cells.every((v) => BOOLEAN.test(v))) return 'boolean';
    return 'string';
  });
  const records = body.map((r) => {
    const rec: Record<string, CsvValue> = {};
    columns.forEach((name, c) => {
      const raw = r[c] ?? '';
      if (raw === '') rec[name] = null;
      else if (kinds[c] === 'number') rec[name] = /inf/i.test(raw) ? (raw.startsWith('-') ? -Infinity : Infinity) : Number(raw);
      else if (kinds[c] === 'boolean') rec[name] = raw.toLowerCase() === 'true';
      else rec[name] = raw;
    });
    return rec;
  });
  return { columns, records };
}

/** Writes records as CSV (quoting fields that need it); null becomes an empty cell. */
export function toCsv(columns: readonly string[], records: readonly Record<string, CsvValue | undefined>[]): string {
  const cell = (v: CsvValue | undefined) => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(','), ...records.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
