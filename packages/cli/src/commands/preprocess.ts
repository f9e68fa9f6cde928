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
    '--part k --parts n preprocesses the k-th (0-based) of n contiguous chunks of the cases, as nnssl\'s',
    '-part/-total_parts (the last chunk takes the remainder), into the same --out on a shared file system; the',
    'part that finishes last writes the store\'s manifest, or --merge --parts n does once all parts are done.',
  ].join('\n'),
  options: {
    out: { type: 'string', help: 'output folder', value: '<dir>' },
    config: { type: 'string', help: 'plan configuration', defaultText: 'onemmiso', value: '<name>' },
    workers: { type: 'string', help: 'worker threads', defaultText: 'cores − 1', value: '<n>' },
    part: { type: 'string', help: 'preprocess only this part (0-based) of --parts', value: '<k>' },
    parts: { type: 'string', help: 'number of parts the cases are split into', defaultText: '1', value: '<n>' },
    merge: { type: 'boolean', help: 'write the manifest of a store whose --parts parts are finished' },
    '4d': { type: 'string', help: '4-D series in a dataset folder: split into 3-D volumes (<stem>_vol-<k>) or refuse them', defaultText: 'split', value: '<split|refuse>' },
  },
  examples: [
    'openmind preprocess sample-data/OpenMind --out preprocessed',
    'openmind preprocess OpenMind --out /shared/preprocessed --part $SLURM_ARRAY_TASK_ID --parts $SLURM_ARRAY_TASK_COUNT',
  ],
  async run(values, positionals) {
    const input = positionals[0];
    if (!input || !values.out) throw new OpenMindError("openmind preprocess: give the input and --out (see 'openmind preprocess --help')");
    const fourD = String(values['4d'] ?? 'split');
    if (fourD !== 'split' && fourD !== 'refuse') throw new OpenMindError(`--4d: expected 'split' or 'refuse', got '${fourD}'`);
    const parts = intOption(values, 'parts', 1);
    if (parts < 1) throw new OpenMindError(`--parts: expected a positive integer, got '${String(values.parts)}'`);
    if (values.part !== undefined && values.merge) throw new OpenMindError('preprocess: --part and --merge exclude each other; merge after the parts.');
    if (values.part === undefined && parts > 1 && !values.merge) throw new OpenMindError('preprocess: --parts needs --part <k> (or --merge).');
    const part = { index: intOption(values, 'part', 0), count: parts };
    const summary = await preprocessDataset({
      ...(parts > 1 ? { part } : {}),
      merge: Boolean(values.merge),
      fourD,
      input,
      out: String(values.out),
      config: String(values.config ?? 'onemmiso'),
      ...(values.workers !== undefined ? { workers: intOption(values, 'workers', 1) } : {}),
      onProgress: progressBar(),
    });
    for (const f of summary.failed) process.stderr.write(`skipped case ${f.id}: ${f.error}\n`);
    for (const p of summary.indexProblems) process.stderr.write(`skipped file ${p.path}: ${p.reason}\n`);
    process.stdout.write(`${summary.processed} processed, ${summary.skipped} already done, ${summary.failed.length} failed → ${summary.dataDir}${parts > 1 ? (summary.merged ? ` (all ${parts} parts done: manifest written)` : ` (part ${part.index} of ${parts}; the last part to finish writes the manifest)`) : ''}\n`);
    return summary.failed.length && summary.processed + summary.skipped === 0 ? 1 : 0;
  },
};
