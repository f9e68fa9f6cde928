import { reciprocal } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Scales all gradients so their joint L2 norm is at most `maxNorm` (PyTorch clip_grad_norm_: factor
 * min(1, maxNorm / (norm + 1e-6))). Returns the norm before clipping as a scalar tensor; nothing is read.
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number): Tensor | undefined {
  const withGrad = params.filter((p) => p.grad);
  const first = withGrad[0];
  if (!first) return undefined;
  const engine = first.engine;
  const norm = engine.tidy(() => {
    let total: Tensor | undefined;
    for (const p of withGrad) {
      const s = sum(p.grad!.square());
      total = total ? total.add(s) : s;
    }
    return total!.sqrt();
  });
  engine.tidy(() => {
    const factor = reciprocal(norm.add(1e-6)).mul(maxNorm).minimum(1);
    for (const p of withGrad) p.grad!.assign(p.grad!.mul(factor));
  });
  return norm;
}
