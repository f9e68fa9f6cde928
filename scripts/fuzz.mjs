#!/usr/bin/env node
// `npm run fuzz -- --cases N [--seed S] [filter...]`: runs every *.fuzz.test.ts (or those whose path
// contains a filter) with N cases per parser property instead of the CI-sized default, e.g.
//   npm run fuzz -- --cases 20000 --seed 7 nifti
// A failure prints fast-check's counterexample (seed and path) to reproduce it; make it a regression case.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { cases: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  allowPositionals: true,
});
if (values.help) {
  console.log('usage: npm run fuzz -- [--cases N] [--seed S] [filter...]');
  process.exit(0);
}
const cases = values.cases ?? '2000';
if (!/^\d+$/.test(cases)) {
  console.error(`fuzz: --cases must be a positive integer, but got '${cases}'`);
  process.exit(2);
}
if (values.seed !== undefined && !/^\d+$/.test(values.seed)) {
  console.error(`fuzz: --seed must be a non-negative integer, but got '${values.seed}'`);
  process.exit(2);
}
/**
 * Every *.fuzz.test.ts under packages/ (node_modules and dist skipped).
 * @param {string} dir
 * @returns {string[]}
 */
function fuzzFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name === 'dist') return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? fuzzFiles(p) : e.name.endsWith('.fuzz.test.ts') ? [p] : [];
  });
}
const files = fuzzFiles('packages').filter((f) => positionals.length === 0 || positionals.some((p) => f.includes(p)));
if (files.length === 0) {
  console.error(`fuzz: no *.fuzz.test.ts matches ${positionals.join(', ')}`);
  process.exit(2);
}
const env = { ...process.env, OPENMIND_FUZZ_CASES: cases, ...(values.seed !== undefined ? { OPENMIND_FUZZ_SEED: values.seed } : {}) };
// Long runs take longer than the suite's per-test limit: about 50 ms a case is generous for every parser.
// Hooks too: removing the files of 25,000 cases took over the default 2 minutes on a loaded machine.
const timeout = String(120_000 + Number(cases) * 50);
const r = spawnSync('npx', ['vitest', 'run', ...files, '--testTimeout', timeout, '--hookTimeout', timeout], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
