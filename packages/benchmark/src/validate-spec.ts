import { readFileSync } from 'node:fs';
import { OpenMindError } from '@openmind-ssl/core';
import type { z } from 'zod';
import { type BenchmarkSpec, benchmarkSpecSchema } from './spec.js';

/** `downstream[2].folds` from a zod issue path. */
function fieldName(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : `${s ? '.' : ''}${String(p)}`;
  return s || '(top level)';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `${fieldName(issue.path)}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  if (issue.code === 'invalid_union') return `${fieldName(issue.path)}: expected {"path": "..."}, {"store": "..."} (pre-training only) or {"synth": {...}} of the kind this field takes`;
  return `${fieldName(issue.path)}: ${issue.message}`;
}

/** Checks that span fields, which the schema alone cannot express. */
function crossCheck(spec: BenchmarkSpec): string[] {
  const problems: string[] = [];
  spec.downstream.forEach((d, i) => {
    const at = `downstream[${i}]`;
    if (d.task === 'segmentation' && !Array.isArray(d.folds)) problems.push(`${at}.folds: a segmentation dataset lists its folds, e.g. [0, 1, 2, 3, 4]`);
    if (d.task === 'classification' && Array.isArray(d.folds)) problems.push(`${at}.folds: a classification dataset gives the number of cross-validation folds, e.g. 3`);
    if (d.task === 'classification' && d.test) problems.push(`${at}.test: only segmentation datasets take a test set`);
    if (d.task === 'segmentation' && d.classification) problems.push(`${at}.classification: only classification datasets take these options`);
    if ('synth' in d.data) {
      const kind = 'kind' in d.data.synth ? d.data.synth.kind : undefined;
      const want = d.task === 'segmentation' ? 'lesion' : 'classification';
      if (kind !== want) problems.push(`${at}.data.synth.kind: a ${d.task} dataset needs kind '${want}'`);
    }
    if (Array.isArray(d.folds) && new Set(d.folds).size !== d.folds.length) problems.push(`${at}.folds: a fold is listed twice`);
  });
  const names = spec.downstream.map((d) => d.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) problems.push(`downstream[${i}].name: '${n}' is used twice`);
  });
  const rows = spec.methods.map((m) => `${m.method}/${m.arch}`);
  rows.forEach((r, i) => {
    if (rows.indexOf(r) !== i) problems.push(`methods[${i}]: ${r} is listed twice (give one entry several schedules instead)`);
  });
  spec.methods.forEach((m, i) => {
    if (new Set(m.schedules).size !== m.schedules.length) problems.push(`methods[${i}].schedules: a schedule is listed twice`);
  });
  const scratch = spec.scratch.map((s) => s.arch);
  scratch.forEach((a, i) => {
    if (scratch.indexOf(a) !== i) problems.push(`scratch[${i}].arch: '${a}' has two from-scratch baselines; the table compares each row with one`);
  });
  if (spec.methods.length + spec.scratch.length === 0) problems.push('methods, scratch: the benchmark needs at least one row (a method or a from-scratch baseline)');
  if (new Set(spec.seeds).size !== spec.seeds.length) problems.push('seeds: a seed is listed twice');
  return problems;
}

/**
 * Validates a parsed spec object.
 * @param source names the file (or preset) in the error.
 * @throws OpenMindError listing every problem as `<source>: <field>: <what was expected>`.
 */
export function parseBenchmarkSpec(value: unknown, source: string): BenchmarkSpec {
  const parsed = benchmarkSpecSchema.safeParse(value);
  if (!parsed.success) {
    throw new OpenMindError(`${source}: invalid benchmark spec:\n${parsed.error.issues.map((i) => `  ${describeIssue(i)}`).join('\n')}`);
  }
  const problems = crossCheck(parsed.data);
  if (problems.length) throw new OpenMindError(`${source}: invalid benchmark spec:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return parsed.data;
}

/**
 * Reads a JSON spec file.
 * @throws OpenMindError naming the file when it cannot be read or parsed, or a field when it is invalid.
 */
export function readBenchmarkSpec(file: string): BenchmarkSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new OpenMindError(`benchmark spec '${file}' cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}); give a .json file or a preset name (toy, openmind)`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new OpenMindError(`benchmark spec '${file}' is not valid JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  return parseBenchmarkSpec(value, file);
}
