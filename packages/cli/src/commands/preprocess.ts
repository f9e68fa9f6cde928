import { preprocessDataset, progressBar } from '@openmind-ssl/data';
import { OpenMindError } from '@openmind-ssl/core';
import { type Command, intOption } from '../args.js';

export const preprocessCommand: Command = {
  name: 'preprocess',
  summary: 'Preprocess a dataset (transpose, crop, z-score, resample) into a chunked patch store.',
  usage: 'preprocess <pretrain_data.json | OpenMind root | NIfTI folder> --out <dir> [--config onemmiso]',
  description: [
    'Resumable: a rerun skips finished cases and redoes half-written ones. Cases that fail are reported',
    'and skipped. Configurations: onemmiso (1 mm isotropic, default), median (median spacing), noresample.',
  ].join('\n'),
  options: {
    out: { type: 'string', help: 'output folder', value: '<dir>' },
    config: { type: 'string', help: 'plan configuration', defaultText: 'onemmiso', value: '<name>' },
    workers: { type: 'string', help: 'worker threads', defaultText: 'cores − 1', value: '<n>' },
    '4d': { type: 'string', help: '4-D series in a dataset folder: split into 3-D volumes (<stem>_vol-<k>) or refuse them', defaultText: 'split', value: '<split|refuse>' },
  },
  examples: ['openmind preprocess sample-data/OpenMind --out preprocessed'],
  async run(values, positionals) {
    const input = positionals[0];
    if (!input || !values.out) throw new OpenMindError("openmind preprocess: give the input and --out (see 'openmind preprocess --help')");
    const fourD = String(values['4d'] ?? 'split');
    if (fourD !== 'split' && fourD !== 'refuse') throw new OpenMindError(`--4d: expected 'split' or 'refuse', got '${fourD}'`);
    const summary = await preprocessDataset({
      fourD,
      input,
      out: String(values.out),
      config: String(values.config ?? 'onemmiso'),
      ...(values.workers !== undefined ? { workers: intOption(values, 'workers', 1) } : {}),
      onProgress: progressBar(),
    });
    for (const f of summary.failed) process.stderr.write(`skipped case ${f.id}: ${f.error}\n`);
    for (const p of summary.indexProblems) process.stderr.write(`skipped file ${p.path}: ${p.reason}\n`);
    process.stdout.write(`${summary.processed} processed, ${summary.skipped} already done, ${summary.failed.length} failed → ${summary.dataDir}\n`);
    return summary.failed.length && summary.processed + summary.skipped === 0 ? 1 : 0;
  },
};
