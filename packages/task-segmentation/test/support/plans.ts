import type { AdaptationPlan, ArchitectureFactory } from '@openmind-ssl/core';
import type { SegmentationPlan, Vec3 } from '../../src/contract.js';
import { scratchAdaptationPlan } from '../../src/run/run-finetune.js';

/** A segmentation plan for tests: `channels` inputs, labels 0…classes−1 (+ an ignore label when asked). */
export function segmentationPlan(adaptationPlan: AdaptationPlan, o: { channels: number; classes: number; patch: Vec3; ignore?: boolean; batchDice?: boolean; batchSize?: number }): SegmentationPlan {
  const labels: Record<string, number> = { background: 0 };
  for (let c = 1; c < o.classes; c++) labels[`class${c}`] = c;
  if (o.ignore) labels['ignore'] = o.classes;
  return {
    adaptationPlan,
    patchSize: o.patch,
    spacingMode: 'no-resample',
    spacing: null,
    transpose: [0, 1, 2],
    channelNames: Array.from({ length: o.channels }, (_, i) => `ch${i}`),
    normalization: Array.from({ length: o.channels }, () => 'zscore' as const),
    useMaskForNorm: Array.from({ length: o.channels }, () => false),
    labels,
    numClasses: o.classes,
    ignoreLabel: o.ignore ? o.classes : null,
    batchDice: o.batchDice ?? false,
    batchSize: o.batchSize ?? 2,
    fileEnding: '.nii.gz',
  };
}

/** The adaptation plan of a fresh network of `preset` (what a from-scratch run uses). */
export function presetAdaptationPlan(factory: ArchitectureFactory, preset: string, patch: Vec3, inChannels = 1): AdaptationPlan {
  return scratchAdaptationPlan(factory, preset, patch, inChannels);
}
