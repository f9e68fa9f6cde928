import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { acquireRunLock, OpenMindError, ProgressBar, type Runtime } from '@openmind-ssl/core';
import { progressBar } from '@openmind-ssl/data';
import { intOption, type OptionSpec, tripleOption } from '../args.js';
import { architectureFactories } from '../plugins.js';
import type { EvaluationSummary } from '@openmind-ssl/task-segmentation';
import { writeFinetuneReport } from '../report/finetune-report.js';
import type { SliceCase } from '../report/validation-slices.js';

type Values = Record<string, string | boolean | string[] | undefined>;

/** The options only `finetune --task segmentation` takes (the command adds the shared ones). */
export const SEGMENTATION_OPTIONS: Record<string, OptionSpec> = {
  'from-scratch': { type: 'boolean', help: 'segmentation: train a fresh network of --arch (nnU-Net\'s baseline; deep supervision on)' },
  schedule: { type: 'string', help: 'segmentation: default, warm-up, sawtooth, frozen, valley or lora (frozen encoder with low-rank adapters)', defaultText: 'warm-up (pretrained), default (scratch)', value: '<name>' },
  fold: { type: 'string', help: 'segmentation: fold of nnU-Net\'s 5-fold split (splits_final.json), or all', defaultText: '0', value: '<0..4|all>' },
  iterations: { type: 'string', help: 'segmentation: training steps per epoch', defaultText: '250 (GPU), 20 (CPU)', value: '<n>' },
  'val-iterations': { type: 'string', help: 'segmentation: validation batches per epoch (pseudo-Dice)', defaultText: '50 (GPU), 4 (CPU)', value: '<n>' },
  spacing: { type: 'string', help: 'segmentation: like-pretrained, dataset-median, no-resample, or x,y,z mm', defaultText: 'like-pretrained', value: '<mode|x,y,z>' },
  'patch-size': { type: 'string', help: 'segmentation: network patch', defaultText: 'the checkpoint\'s (160³) on a GPU, 32³ on a CPU', value: '<n|d,h,w>' },
  'fork-sawtooth': { type: 'boolean', help: 'segmentation: Sawtooth as the fork runs it on ResEnc (its decoder phases train the encoder too)' },
  'no-validation': { type: 'boolean', help: 'segmentation: skip the final full-size validation of the fold' },
  resume: { type: 'boolean', help: 'segmentation: continue the run in --out from its latest checkpoint' },
  'checkpoint-every': { type: 'string', help: 'segmentation: also save checkpoint_latest every n steps', defaultText: 'each epoch', value: '<n>' },
  'no-report': { type: 'boolean', help: 'skip the HTML report' },
};

/** How many validation cases the report draws a slice of. */
const SLICE_CASES = 3;

/** The first validation cases (by id) as the report draws them: first channel, reference label, prediction. */
async function validationSliceCases(seg: typeof import('@openmind-ssl/task-segmentation'), data: string, summary: EvaluationSummary): Promise<SliceCase[]> {
  const dataset = await seg.openSegmentationDataset(data);
  const raw = new Map(dataset.cases.map((c) => [c.id, c]));
  const ids = seg.perCaseDice(summary).map((c) => c.case);
  return summary.metric_per_case
    .map((c, i) => ({ id: ids[i]!, reference: c.reference_file, prediction: c.prediction_file }))
    .filter((c) => raw.has(c.id))
    .sort((a, b) => a.id.localeCompare(b.id))
    .slice(0, SLICE_CASES)
    .map((c) => ({ ...c, image: raw.get(c.id)!.images[0]! }));
}

const SPACING_MODES = ['like-pretrained', 'dataset-median', 'no-resample'] as const;

/**
 * `openmind finetune --task segmentation`: sizes by machine (a CPU gets a 32³ patch and short epochs),
 * the run folder locked, then @openmind-ssl/task-segmentation's runSegmentationFinetune with a progress
 * bar, and the report page.
 */
export async function finetuneSegmentation(values: Values, rt: Runtime, cpu: boolean, backendName: string): Promise<number> {
  const seg = await import('@openmind-ssl/task-segmentation');
  const fromScratch = Boolean(values['from-scratch']);
  if (fromScratch && values['pretrained'] !== undefined) throw new OpenMindError('finetune: --from-scratch and --pretrained exclude each other; give one.');
  if (!fromScratch && values['pretrained'] === undefined) throw new OpenMindError('finetune: give --pretrained <checkpoint>, or --from-scratch (with --arch) for the from-scratch baseline.');
  const schedule = String(values['schedule'] ?? (fromScratch ? 'default' : 'warm-up'));
  if (!(seg.FINE_TUNE_SCHEDULE_NAMES as readonly string[]).includes(schedule)) {
    throw new OpenMindError(`--schedule: expected one of ${seg.FINE_TUNE_SCHEDULE_NAMES.join(', ')}, got '${schedule}'`);
  }
  const foldText = String(values['fold'] ?? '0');
  const fold = foldText === 'all' ? 'all' as const : intOption(values, 'fold', 0);
  const spacingText = values['spacing'] === undefined ? 'like-pretrained' : String(values['spacing']);
  const spacing = (SPACING_MODES as readonly string[]).includes(spacingText)
    ? { spacingMode: spacingText as (typeof SPACING_MODES)[number] }
    : { spacingMode: 'fixed' as const, fixedSpacing: tripleOption(values, 'spacing', [1, 1, 1]) };
  const defaults = cpu ? { epochs: 10, iterations: 20, valIterations: 4, patch: [32, 32, 32] as [number, number, number] } : { epochs: 150, iterations: 250, valIterations: 50 };
  const patch = values['patch-size'] !== undefined ? tripleOption(values, 'patch-size', [160, 160, 160]) : defaults.patch;
  const epochs = intOption(values, 'epochs', defaults.epochs);
  const preset = String(values['arch'] ?? (cpu ? 'resenc-small' : 'resenc-l'));
  const scratch = fromScratch ? { preset, factory: rt.architectureOf(preset).factory } : undefined;
  const out = resolve(String(values['out'] ?? `runs/finetune-${schedule}-fold${foldText}`));
  await mkdir(out, { recursive: true });
  const lock = acquireRunLock(out);
  try {
    const architectures = architectureFactories(rt);
    let bar: ProgressBar | undefined;
    const result = await seg.runSegmentationFinetune({
      data: String(values['data']),
      out,
      ...(values['pretrained'] !== undefined ? { pretrained: String(values['pretrained']) } : {}),
      ...(scratch ? { scratch } : {}),
      architectures,
      schedule,
      fold,
      epochs,
      iterationsPerEpoch: intOption(values, 'iterations', defaults.iterations),
      valIterations: intOption(values, 'val-iterations', defaults.valIterations),
      ...spacing,
      ...(patch ? { patchSize: patch } : {}),
      ...(values['batch-size'] !== undefined ? { batchSize: intOption(values, 'batch-size', 2) } : {}),
      seed: intOption(values, 'seed', 0),
      resume: Boolean(values['resume']),
      ...(values['checkpoint-every'] !== undefined ? { checkpointEvery: intOption(values, 'checkpoint-every', 1) } : {}),
      forkSawtooth: Boolean(values['fork-sawtooth']),
      finalValidation: !values['no-validation'],
      log: (line) => (bar ? bar.log(line) : process.stderr.write(`${line}\n`)),
      onPreprocess: progressBar({ label: 'preprocess' }),
      onEvent: (e) => {
        if (e.type === 'start') {
          bar = new ProgressBar('finetune', e.totalSteps);
          if (e.resumedFrom) bar.log(`resuming from ${e.resumedFrom} (step ${e.step})`);
        } else if (e.type === 'step') bar?.update(e.step, `epoch ${e.epoch + 1}/${epochs} loss ${e.loss.toPrecision(4)} lr ${e.lr.toExponential(2)}`);
        else if (e.type === 'epoch') {
          const r = e.record;
          const dice = r.meanPseudoDice === null ? 'n/a' : r.meanPseudoDice.toFixed(3);
          bar?.log(`epoch ${r.epoch + 1}/${epochs}: train loss ${r.trainLoss.toPrecision(4)}, validation loss ${r.valLoss?.toPrecision(4) ?? 'n/a'}, pseudo-Dice ${dice} (EMA ${r.emaPseudoDice?.toFixed(3) ?? 'n/a'})${r.best ? ', new best' : ''}`);
        } else if (e.type === 'validation') {
          const mean = e.summary.foreground_mean['Dice'];
          process.stderr.write(`final validation: mean foreground Dice ${Number.isFinite(mean) ? mean!.toFixed(4) : 'NaN'} over ${e.summary.metric_per_case.length} cases → ${out}/validation/summary.json\n`);
        }
      },
    });
    if (!values['no-report']) {
      const sliceCases = result.validation ? await validationSliceCases(seg, String(values['data']), result.validation) : [];
      const page = await writeFinetuneReport(out, {
        title: `Segmentation fine-tuning (${schedule}, fold ${foldText})`,
        settings: { data: values['data'], pretrained: values['pretrained'] ?? 'none (from scratch)', schedule, fold: foldText, epochs, backend: backendName, patch: result.plan.patchSize.join('×') },
        plan: result.plan,
        log: result.log,
        ...(result.validation ? { validation: result.validation } : {}),
        sliceCases,
      });
      process.stderr.write(`report: ${page}\n`);
    }
    return 0;
  } finally {
    lock.release();
  }
}
