import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Engine } from '@openmind-ssl/core';
import { readNiftiHeader } from '@openmind-ssl/data';
import type { SegmentationPlan } from '../contract.js';
import { preprocessForInference } from '../preprocess/preprocess-for-inference.js';
import type { PredictionCase } from './find-cases.js';
import { restoreGeometry } from './restore-geometry.js';
import { type SegmentationNetworkFn, slidingWindowPredict, type TileProgress } from './sliding-window.js';
import { writePrediction } from './write-prediction.js';

/** Options of {@link predictCases}. */
export interface PredictCasesOptions {
  plan: SegmentationPlan;
  /** One network or several (folds, logits averaged). */
  networks: SegmentationNetworkFn | readonly SegmentationNetworkFn[];
  outDir: string;
  /** Tile step (fraction of the patch); 0.5. */
  step?: number;
  /** Mirror test-time augmentation over axes 0, 1, 2; true. */
  mirroring?: boolean;
  /** Also write `<case>_probabilities<ending>`: softmax, float32 [X, Y, Z, K]. */
  saveProbabilities?: boolean;
  engine?: Engine;
  onCaseStart?: (index: number, total: number, id: string) => void;
  onTile?: (progress: TileProgress) => void;
  onCaseEnd?: (result: CasePrediction) => void;
}

/** What became of one case. */
export interface CasePrediction {
  id: string;
  /** The written label map, when the case succeeded. */
  file?: string;
  error?: string;
}

/**
 * nnU-Net's `predict_from_files` for a list of cases, one at a time so memory does not grow with their
 * number: preprocess exactly as training did, sliding-window logits, back to the input's grid, write
 * `<case><fileEnding>` with the first channel file's header and affine. A case that fails is reported
 * (its message in `error`) and the rest continue.
 */
export async function predictCases(cases: readonly (PredictionCase & { missing?: string })[], options: PredictCasesOptions): Promise<CasePrediction[]> {
  await mkdir(options.outDir, { recursive: true });
  const results: CasePrediction[] = [];
  for (const [i, c] of cases.entries()) {
    options.onCaseStart?.(i, cases.length, c.id);
    let result: CasePrediction;
    try {
      if (c.missing) throw new Error(c.missing);
      const file = join(options.outDir, `${c.id}${options.plan.fileEnding}`);
      const pre = await preprocessForInference(c.files, options.plan);
      const logits = await slidingWindowPredict(pre.image, pre.shape, options.networks, {
        patchSize: options.plan.patchSize,
        step: options.step ?? 0.5,
        mirrorAxes: options.mirroring === false ? [] : [0, 1, 2],
        ...(options.onTile ? { onTile: options.onTile } : {}),
        ...(options.engine ? { engine: options.engine } : {}),
      });
      const restored = restoreGeometry(logits, pre.geometry, options.plan.spacing, options.saveProbabilities ?? false);
      const probabilities = options.saveProbabilities ? join(options.outDir, `${c.id}_probabilities${options.plan.fileEnding}`) : undefined;
      await writePrediction(file, restored, await readNiftiHeader(c.files[0]!), probabilities);
      result = { id: c.id, file };
    } catch (e) {
      result = { id: c.id, error: e instanceof Error ? e.message : String(e) };
    }
    results.push(result);
    options.onCaseEnd?.(result);
  }
  return results;
}
