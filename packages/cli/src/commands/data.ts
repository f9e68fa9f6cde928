import { parseArgs } from 'node:util';
import { OpenMindError } from '@openmind-ssl/core';
import { runDataCli } from '@openmind-ssl/data';
import type { Command } from '../args.js';

/**
 * `openmind data synth --task classification --out <dir> [--cases 40] [--size 48] [--seed 0]`: the
 * classification task's synthetic dataset (lesion elongated left–right vs anterior–posterior).
 */
async function synthClassification(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { task: { type: 'string' }, out: { type: 'string' }, cases: { type: 'string' }, size: { type: 'string' }, seed: { type: 'string' } }, strict: true });
  if (!values.out) throw new OpenMindError('data synth --task classification: --out <dir> is required.');
  const int = (v: string | undefined, name: string, fallback: number) => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isInteger(n) || n < 1) throw new OpenMindError(`data synth --task classification: --${name} must be a positive integer, got '${v}'.`);
    return n;
  };
  const { generateClassificationDataset } = await import('@openmind-ssl/task-classification');
  const cases = int(values.cases, 'cases', 40);
  await generateClassificationDataset(values.out, { cases, size: int(values.size, 'size', 48), seed: Number(values.seed ?? 0) });
  process.stderr.write(`data synth: ${cases} classification cases (lesion left–right vs anterior–posterior) → ${values.out}\n`);
  return 0;
}

/** `openmind data …` mounts the data package's commands (info, index, synth) with their own options. */
export const dataCommand: Command = {
  name: 'data',
  summary: 'NIfTI and dataset tools: info <file>, index <root>, synth --out <dir> (--task classification for a classification dataset).',
  usage: 'data <info|index|synth> [options]',
  options: {},
  passThrough: true,
  run: async (_values, positionals) => {
    const task = positionals.indexOf('--task');
    if (positionals[0] === 'synth' && task > 0) {
      if (positionals[task + 1] !== 'classification') throw new OpenMindError(`data synth --task: only 'classification' is known, got '${positionals[task + 1] ?? ''}'.`);
      return synthClassification(positionals.slice(1));
    }
    return runDataCli(positionals);
  },
};
