import { join } from 'node:path';
import { formatSummary, summarizeCollection } from '../dataset/summarize-collection.js';
import { buildOpenMindCollection } from '../dataset/build-openmind.js';
import { generateLesionDataset } from '../synth/synth-nnunet.js';
import { generateSyntheticOpenMind } from '../synth/synth-openmind.js';
import type { CliIo } from './cli-io.js';
import { UsageError, flag, numberOption, parseCommandArgs, processIo, runCommand, stringOption } from './cli-io.js';

export const SYNTH_USAGE = `usage: openmind-data synth --out DIR [--subjects N] [--seed S] [options]

Writes synthetic head MRI in the OpenMind layout (DIR/OpenMind/..., DIR/openneuro_metadata.csv, deface
and anatomy masks) and a lesion-segmentation dataset in nnU-Net raw format
(DIR/nnUNet_raw/Dataset501_SynthLesion). The same seed writes the same files.

  --out DIR            output folder (required)
  --subjects N         subjects, spread over three datasets (default 12)
  --seed S             seed (default 0)
  --size MM            field of view in mm, about the voxels per side at 1 mm (default 48)
  --lesion-cases N     nnU-Net cases; 0 writes none (default 8)
  --json               print the manifest summary as JSON
  -h, --help           this help`;

/**
 * `openmind-data synth`: writes the synthetic OpenMind and nnU-Net datasets.
 * @returns the exit status (0 ok, 1 failure, 2 usage)
 */
export async function runSynth(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCommand(io, SYNTH_USAGE, async () => {
    const args = parseCommandArgs(argv, { out: 'string', subjects: 'string', seed: 'string', size: 'string', 'lesion-cases': 'string', json: 'boolean' });
    const { values, positionals } = args;
    const out = stringOption(args, 'out');
    if (flag(args, 'help')) {
      io.out(SYNTH_USAGE);
      return 0;
    }
    if (positionals.length) throw new UsageError(`synth takes no positional arguments, but got "${positionals.join(' ')}".`);
    if (!out) throw new UsageError('--out DIR is required.');
    const isCount = (n: number) => Number.isInteger(n) && n >= 0;
    const subjects = numberOption(values.subjects, 'subjects', 12, (n) => Number.isInteger(n) && n >= 1)!;
    const seed = numberOption(values.seed, 'seed', 0, Number.isInteger)!;
    const sizeMm = numberOption(values.size, 'size', 48, (n) => n >= 16)!;
    const lesionCases = numberOption(values['lesion-cases'], 'lesion-cases', 8, isCount)!;
    const started = Date.now();
    const manifest = await generateSyntheticOpenMind({ out, subjects, seed, sizeMm });
    const lesion = lesionCases > 0 ? await generateLesionDataset({ out: join(out, 'nnUNet_raw'), cases: lesionCases, seed, sizeMm }) : undefined;
    const { collection } = await buildOpenMindCollection(out);
    const summary = summarizeCollection(collection);
    if (flag(args, 'json')) {
      io.out(JSON.stringify({ out, seed, subjects, images: manifest.images.length, summary, nnunet: lesion ? { dir: lesion.dir, cases: lesion.cases.length } : null }, null, 2));
      return 0;
    }
    io.out(`wrote ${manifest.images.length} images of ${subjects} subjects to ${join(out, 'OpenMind')} (seed ${seed}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    io.out(formatSummary(summary));
    if (lesion) io.out(`wrote ${lesion.cases.length} lesion-segmentation cases to ${lesion.dir}`);
    return 0;
  });
}
