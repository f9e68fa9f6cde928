import { clipGradNorm } from '../optim/clip-grad-norm.js';
import type { HostBatch, SSLMethod, TrainingRecipe } from '../plugins/ssl-method.js';
import type { Rng } from '../random/rng.js';
import type { Tensor } from '../tensor/tensor.js';

/** How {@link trainingStep} runs on a graph backend, and where it stands in the run. */
export interface TrainingStepOptions {
  /**
   * Evaluate the optimizer update apart from forward and backward, in chunks of about this many
   * parameter bytes; 'off': in the step's one graph; 'auto' (default): in chunks of
   * {@link AUTO_UPDATE_CHUNK_BYTES} when the backend has evaluation boundaries and the model's parameters
   * take at least {@link AUTO_CHUNK_MIN_PARAM_BYTES}. On a graph backend whose outputs are copied out
   * (onnxruntime-node), a parameter-heavy model's one-graph step briefly holds its optimizer state three
   * times (old, new, copied); chunks bound that to one chunk's worth, e.g. Primus-M's AdamW step at 64³
   * from 6.2 to 4.2 GB, at a step time within two runs' noise of the one graph (bench/results/train-step.json).
   * Small models gain nothing and keep the one graph.
   * Eager backends ignore it.
   */
  updateChunkBytes?: number | 'auto' | 'off';
  /** Global step index and epoch, passed to the recipe's afterUpdate hook (default: 0 and 0). */
  step?: number;
  epoch?: number;
}

/** The chunk size 'auto' picks: small enough that one chunk's state copies are noise beside the model. */
export const AUTO_UPDATE_CHUNK_BYTES = 64 * 2 ** 20;
/** 'auto' chunks the update of models from this size on (Primus-M: 655 MB; ResEnc-L: 409 MB keeps one graph). */
export const AUTO_CHUNK_MIN_PARAM_BYTES = 512 * 2 ** 20;

/** The chunk size in bytes a step's update runs with, or undefined for one graph (see TrainingStepOptions). */
export function updateChunkBytesFor(setting: number | 'auto' | 'off', params: readonly Tensor[]): number | undefined {
  if (setting === 'off') return undefined;
  if (setting !== 'auto') return setting;
  if (!params[0]?.engine.backend.evaluationBoundary) return undefined;
  const bytes = params.reduce((sum, p) => sum + p.size * 4, 0);
  return bytes >= AUTO_CHUNK_MIN_PARAM_BYTES ? AUTO_UPDATE_CHUNK_BYTES : undefined;
}

/**
 * The parts of a recipe one step uses: a whole TrainingRecipe will do, and the trainer passes the
 * optimizer of the current phase.
 */
export type StepRecipe = Pick<TrainingRecipe, 'optimizer' | 'gradClip' | 'afterUpdate'>;

/**
 * One optimisation step: the method's loss and its backward pass in their own scope, so the forward
 * pass's tensors are released before the update; the recipe's gradient clip; the optimizer update, kept
 * only where the loss is finite; the recipe's afterUpdate hook, told whether the update was kept; the
 * loss read back. Frozen parameters (requiresGrad off) get no gradient and are left alone.
 */
export async function trainingStep(
  method: SSLMethod, recipe: TrainingRecipe | StepRecipe, batch: HostBatch, rng: Rng, params: readonly Tensor[], options: TrainingStepOptions = {},
): Promise<number> {
  const { optimizer, gradClip } = recipe;
  const engine = params[0]!.engine;
  const loss = engine.tidy(() => {
    const l = engine.tidy(() => {
      const full = method.loss(batch, rng);
      full.backward();
      return full.detach();
    });
    if (gradClip !== undefined) clipGradNorm(params, gradClip)?.dispose();
    const applyIf = l.sub(l).equal(0);
    const chunkBytes = updateChunkBytesFor(options.updateChunkBytes ?? 'auto', params);
    optimizer.step({ applyIf, ...(chunkBytes !== undefined ? { chunkBytes } : {}) });
    optimizer.zeroGrad();
    recipe.afterUpdate?.({ step: options.step ?? 0, epoch: options.epoch ?? 0, applyIf, optimizer });
    return l;
  });
  const value = await loss.item();
  loss.dispose();
  return value;
}
