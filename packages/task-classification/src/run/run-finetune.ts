import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { adaptationPlanOf, type ArchitectureFactory, OpenMindError, Rng } from '@openmind-ssl/core';
import { readPretrainedCheckpoint } from '@openmind-ssl/interop';
import { type ClassificationConfig, classificationConfigSchema } from '../config.js';
import { openClassificationDataset } from '../data/classification-dataset.js';
import { crossValidateClassifier, type CrossValidationResult } from '../training/cross-validate.js';
import { ensembleProbabilities, probabilitiesCsv } from '../training/ensemble.js';

/** What `openmind finetune --task classification` asks for. */
export interface ClassificationRunRequest {
  data: string;
  out: string;
  /** Options of {@link classificationConfigSchema} (validated here). */
  config: Partial<ClassificationConfig>;
  /** A pre-trained checkpoint (run folder, checkpoint, .safetensors or nnssl .pth); none trains from scratch. */
  pretrained?: string;
  /** From scratch: the architecture preset and its factory (the host looks it up). */
  scratch?: { preset: string; factory: ArchitectureFactory };
  /** Every loaded architecture factory (the checkpoint's plan names which one builds it). */
  architectures: readonly ArchitectureFactory[];
  seed: number;
  log?: (line: string) => void;
}

/**
 * A whole classification fine-tuning run: opens the dataset with the config's preprocessing, cross-validates
 * (per-fold and overall summary JSON in `out`), writes config.json and predictions.csv — the fold ensemble's
 * class probabilities of every case (each case's own fold network saw it in validation, the others in
 * training, so these are not held-out estimates; the per-fold summaries are).
 */
export async function runClassificationFinetune(r: ClassificationRunRequest): Promise<CrossValidationResult> {
  const config = classificationConfigSchema.parse(r.config);
  const log = r.log ?? (() => undefined);
  await mkdir(r.out, { recursive: true });
  const dataset = await openClassificationDataset(r.data, { spacing: [1, 1, 1], cropSize: config.cropSize, normalization: config.normalization });
  let plan;
  let pretrained;
  if (r.pretrained) {
    pretrained = await readPretrainedCheckpoint(r.pretrained);
    plan = pretrained.plan;
  } else if (r.scratch) {
    const arch = r.scratch.factory.create(r.scratch.preset, { inChannels: dataset.inChannels, outChannels: 1, patchSize: config.cropSize, rng: new Rng(0) });
    plan = adaptationPlanOf(arch, { inChannels: dataset.inChannels, patchSize: config.cropSize });
  } else {
    throw new OpenMindError('finetune: give --pretrained <checkpoint> or --arch <preset> (from scratch).');
  }
  log(`classification: ${dataset.caseIds.length} cases, classes [${dataset.classes.join(', ')}]${dataset.multilabel ? ' (multi-label)' : ''}, ${dataset.inChannels} channel(s), crop ${config.cropSize.join('×')}, ${plan.architecture_plans.arch_class_name}, ${config.finetune}, ${config.epochs} epochs`);
  await writeFile(join(r.out, 'config.json'), JSON.stringify({ ...config, data: r.data, pretrained: r.pretrained ?? null, seed: r.seed, classes: dataset.classes }, null, 1));
  const result = await crossValidateClassifier({
    dataset, config, plan, architectures: r.architectures, ...(pretrained ? { pretrained } : {}), seed: r.seed, outDir: r.out,
    onEpoch: (fold, e) => log(`fold ${fold} epoch ${e.epoch}: loss ${e.trainLoss.toFixed(4)}, val balanced accuracy ${e.val.balancedAccuracy.toFixed(3)} (reference's ${e.val.balancedAccuracyReference.toFixed(3)}), AUROC ${e.val.aurocMacro.toFixed(3)}`),
  });
  const cases = await Promise.all(dataset.caseIds.map((id) => dataset.read(id)));
  const probs = await ensembleProbabilities(result.networks, cases, dataset.multilabel);
  await writeFile(join(r.out, 'predictions.csv'), probabilitiesCsv(dataset.caseIds, dataset.classes, probs));
  const s = result.summary['balancedAccuracy']!;
  log(`classification: balanced accuracy ${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)} over ${result.folds.length} folds → ${join(r.out, 'summary.json')}`);
  return result;
}
