import { join } from 'node:path';
import { formatSummary, summarizeCollection } from '../dataset/summarize-collection.js';
import { buildOpenMindCollection } from '../dataset/build-openmind.js';
import { generateLesionDataset } from '../synth/synth-nnunet.js';
import { generateTissueDataset } from '../synth/synth-nnunet-tissue.js';
import { generateSyntheticOpenMind } from '../synth/synth-openmind.js';
import type { CliIo } from './cli-io.js';
import { UsageError, flag, numberOption, parseCommandArgs, processIo, runCommand, stringOption } from './cli-io.js';

export const SYNTH_USAGE = `usage: openmind-data synth --out DIR [--subjects N] [--seed S] [options]

Writes synthetic head MRI in the OpenMind layout (DIR/OpenMind/..., DIR/openneuro_metadata.csv, deface
and anatomy masks) and two segmentation datasets in nnU-Net raw format: DIR/nnUNet_raw/Dataset501_SynthLesion
(FLAIR, lesion vs background; small, low-contrast lesions with noise and a bias field, so that training
from scratch does not saturate) and DIR/nnUNet_raw/Dataset502_SynthTissue (T1w + FLAIR; background, CSF,
grey matter, white matter, lesion). The same seed writes the same files.

  --out DIR            output folder (required)
  --subjects N         subjects, spread over three datasets (default 12)
  --seed S             seed (default 0)
  --size MM            field of view in mm, about the voxels per side at 1 mm (default 48)
  --lesion-cases N     cases of the lesion dataset; 0 writes none (default 8)
  --tissue-cases N     cases of the tissue dataset; 0 writes none (default 8)
  --json               print the manifest summary as JSON
  -h, --help           this help`;

/**
 * `openmind-data synth`: writes the synthetic OpenMind and nnU-Net datasets.
 * @returns the exit status (0 ok, 1 failure, 2 usage)
 */
export async function runSynth(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCommand(io, SYNTH_USAGE, async () => {
    const args = parseCommandArgs(argv, { out: 'string', subjects: 'string', seed: 'string', size: 'string', 'lesion-cases': 'string', 'tissue-cases': 'string', json: 'boolean' });
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
    const tissueCases = numberOption(values['tissue-cases'], 'tissue-cases', 8, isCount)!;
    const started = Date.now();
    const manifest = await generateSyntheticOpenMind({ out, subjects, seed, sizeMm });
    const lesion = lesionCases > 0 ? await generateLesionDataset({ out: join(out, 'nnUNet_raw'), cases: lesionCases, seed, sizeMm }) : undefined;
    const tissue = tissueCases > 0 ? await generateTissueDataset({ out: join(out, 'nnUNet_raw'), cases: tissueCases, seed, sizeMm }) : undefined;
    const { collection } = await buildOpenMindCollection(out);
    const summary = summarizeCollection(collection);
    if (flag(args, 'json')) {
      io.out(JSON.stringify({ out, seed, subjects, images: manifest.images.length, summary, nnunet: lesion ? { dir: lesion.dir, cases: lesion.cases.length } : null, nnunetTissue: tissue ? { dir: tissue.dir, cases: tissue.cases.length } : null }, null, 2));
      return 0;
    }
    io.out(`wrote ${manifest.images.length} images of ${subjects} subjects to ${join(out, 'OpenMind')} (seed ${seed}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    io.out(formatSummary(summary));
    if (lesion) io.out(`wrote ${lesion.cases.length} lesion-segmentation cases to ${lesion.dir}`);
    if (tissue) io.out(`wrote ${tissue.cases.length} tissue-segmentation cases (2 channels, 4 classes) to ${tissue.dir}`);
    return 0;
  });
}
