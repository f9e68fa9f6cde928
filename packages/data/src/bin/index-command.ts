import { indexDataset } from '../dataset/index-dataset.js';
import { formatSummary } from '../dataset/summarize-collection.js';
import type { CliIo } from './cli-io.js';
import { UsageError, flag, numberOption, parseCommandArgs, processIo, runCommand, stringOption } from './cli-io.js';

export const INDEX_USAGE = `usage: openmind-data index <root> [--out pretrain_data.json] [options]

Builds nnssl's pretrain_data.json from an OpenMind root (a folder with openneuro_metadata.csv and
OpenMind/) or from a plain folder of NIfTI files, checks every image and mask, skips bad files with a
report, and prints counts per dataset and modality. Without --out nothing is written.

  --out FILE              write the collection here (atomically)
  --verify                read every voxel (gzip integrity, size, NaN/Inf), not only headers
  --iqs-max N             keep images with image quality score <= N (OpenMind: 1 best .. 5 worst)
  --modality A,B          keep only these modalities (e.g. T1w,T2w,FLAIR)
  --layout openmind|folder   force the layout instead of detecting it
  --4d split|refuse       4-D series (DWI, fMRI): one 3-D image per volume, named <stem>_vol-<k>
                          (default), or leave them out with the reason
  --collection-name NAME  collection name (default Dataset001_OpenMind or the folder name)
  --json                  print the summary and problems as JSON
  -h, --help              this help

Paths under $nnssl_raw / $nnssl_preprocessed are written as "$nnssl_raw/...", as nnssl does.`;

/**
 * `openmind-data index`: indexes a dataset into pretrain_data.json.
 * @returns the exit status (0 written or summarised, even when some files were skipped; 2 usage or bad input; 1 failure)
 */
export async function runIndex(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCommand(io, INDEX_USAGE, async () => {
    const args = parseCommandArgs(argv, {
      out: 'string', verify: 'boolean', 'iqs-max': 'string', modality: 'string', layout: 'string', 'collection-name': 'string', json: 'boolean', '4d': 'string',
    });
    const positionals = args.positionals;
    const out = stringOption(args, 'out');
    const collectionName = stringOption(args, 'collection-name');
    if (flag(args, 'help')) {
      io.out(INDEX_USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`index takes exactly one root folder, but got ${positionals.length}.`);
    const layout = stringOption(args, 'layout');
    if (layout !== undefined && layout !== 'openmind' && layout !== 'folder') throw new UsageError(`--layout must be "openmind" or "folder", but got "${layout}".`);
    const fourD = stringOption(args, '4d') ?? 'split';
    if (fourD !== 'split' && fourD !== 'refuse') throw new UsageError(`--4d must be "split" or "refuse", but got "${fourD}".`);
    const iqsMax = numberOption(args.values['iqs-max'], 'iqs-max', undefined);
    const modalities = stringOption(args, 'modality')?.split(',').map((m) => m.trim()).filter(Boolean);
    const result = await indexDataset(positionals[0]!, {
      ...(out !== undefined ? { out } : {}),
      verify: flag(args, 'verify'),
      fourD,
      ...(iqsMax !== undefined ? { iqsMax } : {}),
      ...(modalities ? { modalities } : {}),
      ...(layout ? { layout } : {}),
      ...(collectionName ? { collectionName } : {}),
    });
    if (flag(args, 'json')) {
      io.out(JSON.stringify({ layout: result.layout, out: out ?? null, summary: result.summary, problems: result.problems, filteredOut: result.filteredOut }, null, 2));
      return 0;
    }
    io.out(`${result.layout === 'openmind' ? 'OpenMind root' : 'NIfTI folder'} ${positionals[0]} -> collection "${result.collection.collection_name}"`);
    io.out(formatSummary(result.summary));
    if (result.filteredOut) io.out(`${result.filteredOut} image(s) removed by filters`);
    if (result.problems.length) {
      io.err(`${result.problems.length} problem file(s):`);
      for (const p of result.problems) io.err(`  ${p.path}\n    ${p.reason.split('\n')[0]}`);
    }
    io.out(out ? `wrote ${out}` : 'dry run: pass --out FILE to write pretrain_data.json');
    return 0;
  });
}
