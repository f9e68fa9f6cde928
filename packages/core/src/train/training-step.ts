import { clipGradNorm } from '../optim/clip-grad-norm.js';
import type { HostBatch, SSLMethod, TrainingRecipe } from '../plugins/ssl-method.js';
import type { Rng } from '../random/rng.js';
import type { Tensor } from '../tensor/tensor.js';

/** How {@link trainingStep} runs on a graph backend. */
export interface TrainingStepOptions {
  /**
   * Evaluate the optimizer update apart from forward and backward, in chunks of about this many
   * parameter bytes. Off by default: one graph per step is fastest. On a graph backend whose outputs
   * are copied out (onnxruntime-node), a parameter-heavy model's step briefly holds its optimizer state
   * three times (old, new, copied); chunks bound that to one chunk's worth, e.g. Primus-M's AdamW step at
   * 64³ from 7.2 to 5.1 GB, for 3–13 % more time per step. Eager backends ignore it.
   */
  updateChunkBytes?: number;
}

/**
 * One optimisation step: the method's loss and its backward pass in their own scope, so the forward
 * pass's tensors are released before the update; the recipe's gradient clip; the optimizer update, kept
 * only where the loss is finite; the loss read back.
 */
export async function trainingStep(
  method: SSLMethod, recipe: TrainingRecipe, batch: HostBatch, rng: Rng, params: readonly Tensor[], options: TrainingStepOptions = {},
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
    optimizer.step({ applyIf: l.sub(l).equal(0), ...(options.updateChunkBytes !== undefined ? { chunkBytes: options.updateChunkBytes } : {}) });
    optimizer.zeroGrad();
    return l;
  });
  const value = await loss.item();
  loss.dispose();
  return value;
}
