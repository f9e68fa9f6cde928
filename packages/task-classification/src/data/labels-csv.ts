import { OpenMindError } from '@openmind-ssl/core';

/** The label table of a classification dataset. */
export interface LabelTable {
  /** 'multiclass': one label column, one class per case; 'multilabel': one 0/1 column per class. */
  kind: 'multiclass' | 'multilabel';
  /** Class names in output order. */
  classes: string[];
  /** Per case: the class index (multiclass) or the 0/1 vector over classes (multilabel). */
  targets: Map<string, Int32Array>;
}

/** Splits one CSV line on commas, honouring double quotes ("a,b" and "" inside quotes). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(cur.trim()); cur = ''; } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/**
 * The stated class order of a multiclass label column: numeric ascending when every label is a number
 * ('0', '1', '2' or '-1', '3.5'), otherwise by code point ('ASD' < 'TC' < 'control'). Sorting makes the
 * order independent of the row order of labels.csv, so every fold and every run agree on it.
 */
export function sortClassNames(names: Iterable<string>): string[] {
  const unique = [...new Set(names)];
  const numeric = unique.every((n) => n !== '' && Number.isFinite(Number(n)));
  return numeric ? unique.sort((a, b) => Number(a) - Number(b)) : unique.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Parses labels.csv: a header `case,<label>` (multiclass; any column name) or `case,<class 1>,<class 2>,…`
 * (multilabel, each value 0 or 1). `classes`, where given (classes.json or a trained model's classes),
 * fixes the multiclass order, and a label outside it is an error; otherwise the classes are the sorted
 * labels.
 * @throws OpenMindError naming the file, the line and the case for a malformed row, a duplicate case, a
 *   value other than 0/1 in a multilabel column or a class outside `classes`.
 */
export function parseLabelsCsv(text: string, file: string, classes?: readonly string[]): LabelTable {
  const lines = text.split(/\r?\n/).map((l, i) => ({ l, n: i + 1 })).filter(({ l }) => l.trim() !== '');
  if (lines.length === 0) throw new OpenMindError(`${file}: empty; expected a header 'case,label' (or 'case,<class>,<class>,…' for multi-label) and one row per case.`);
  const header = splitCsvLine(lines[0]!.l);
  if (header.length < 2 || header[0]!.toLowerCase() !== 'case') {
    throw new OpenMindError(`${file}: the header must be 'case,label' (or 'case,<class>,<class>,…' for multi-label), but got '${lines[0]!.l}'.`);
  }
  const kind = header.length === 2 ? 'multiclass' : 'multilabel';
  const rows = new Map<string, string[]>();
  for (const { l, n } of lines.slice(1)) {
    const cells = splitCsvLine(l);
    if (cells.length !== header.length) throw new OpenMindError(`${file}: line ${n} has ${cells.length} values, but the header has ${header.length} ('${l}').`);
    const id = cells[0]!;
    if (!id) throw new OpenMindError(`${file}: line ${n} has no case id.`);
    if (rows.has(id)) throw new OpenMindError(`${file}: case '${id}' is listed twice (line ${n}).`);
    rows.set(id, cells.slice(1));
  }
  const targets = new Map<string, Int32Array>();
  if (kind === 'multilabel') {
    const names = header.slice(1);
    if (classes && (classes.length !== names.length || classes.some((c, i) => c !== names[i]))) {
      throw new OpenMindError(`${file}: the label columns [${names.join(', ')}] must equal the classes [${classes.join(', ')}].`);
    }
    for (const [id, cells] of rows) {
      targets.set(id, Int32Array.from(cells, (v, j) => {
        if (v !== '0' && v !== '1') throw new OpenMindError(`${file}: case '${id}', column '${names[j]}': multi-label values must be 0 or 1, but got '${v}'.`);
        return Number(v);
      }));
    }
    return { kind, classes: names, targets };
  }
  const order = classes ? [...classes] : sortClassNames([...rows.values()].map((c) => c[0]!));
  const index = new Map(order.map((c, i) => [c, i]));
  for (const [id, [label]] of rows) {
    const k = index.get(label!);
    if (k === undefined) throw new OpenMindError(`${file}: case '${id}' has the unknown class '${label}'; the classes are [${order.join(', ')}].`);
    targets.set(id, Int32Array.of(k));
  }
  if (order.length < 2) throw new OpenMindError(`${file}: a classification needs at least 2 classes, but the labels name only [${order.join(', ')}].`);
  return { kind, classes: order, targets };
}
