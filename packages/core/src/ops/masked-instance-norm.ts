import { record } from '../autograd/grad-node.js';
import { OpenMindError } from '../errors/openmind-error.js';
import type { Tensor } from '../tensor/tensor.js';
import { sum } from './reduce.js';
import { reshape } from './shape-ops.js';

/**
 * Instance normalisation over the active voxels only (SparK's sparse instance norm): per sample and
 * channel, mean and biased variance are taken over the voxels where `active` is 1, those voxels are
 * normalised (then scaled and shifted when weight/bias are given), and inactive voxels are 0. With the
 * same number of active voxels in every sample this is nnssl's SparseInstanceNorm3d, which gathers the
 * active voxels to [N, C, L] and applies InstanceNorm1d; a sample with no active voxel gives zeros.
 *
 * The gradient is written out like the dense norm's: dx = m·r·(g − mean_m(g) − x̂·mean_m(g·x̂)), with
 * mean_m the mean over active voxels and r = 1/sqrt(var + eps); `active` gets none (it is a mask).
 * @param x [N, C, ...spatial] float32
 * @param active [N, 1, ...spatial] float32 of 0/1 (1 = active)
 * @param weight [C] scale, or undefined
 * @param bias [C] shift, or undefined
 * @throws OpenMindError when `active` is not [N, 1, ...spatial] of `x`
 * @see Tian et al., "Designing BERT for Convolutional Networks: Sparse and Hierarchical Masked Modeling", ICLR 2023
 */
export function maskedInstanceNorm(x: Tensor, active: Tensor, weight?: Tensor, bias?: Tensor, eps = 1e-5): Tensor {
  const want = [x.shape[0], 1, ...x.shape.slice(2)];
  if (x.rank < 3 || active.rank !== x.rank || want.some((d, i) => active.shape[i] !== d)) {
    throw new OpenMindError(
      `maskedInstanceNorm: active must be [N, 1, ...spatial] of the input, i.e. [${want.join(', ')}], but got [${active.shape.join(', ')}] for an input of [${x.shape.join(', ')}].`,
    );
  }
  const axes = x.shape.slice(2).map((_, i) => i + 2);
  const engine = x.engine;
  const { xhat, r, count } = engine.tidy(() => engine.noGrad(() => {
    // An empty sample would divide by 0; its sums are 0 anyway, so any count ≥ 1 gives zeros.
    const n = sum(active, axes, true).maximum(1);
    const mu = sum(x.mul(active), axes, true).div(n);
    const centred = x.sub(mu).mul(active);
    const rs = sum(centred.square(), axes, true).div(n).add(eps).rsqrt();
    return { xhat: centred.mul(rs), r: rs, count: n };
  }));
  const meanActive = (t: Tensor): Tensor => sum(t, axes, true).div(count);
  const y = record(xhat, 'maskedInstanceNorm', [x], (g) => [
    g.sub(meanActive(g.mul(active))).sub(xhat.mul(meanActive(g.mul(xhat)))).mul(r).mul(active),
  ]);
  if (!weight && !bias) return y;
  const shape = [1, x.shape[1]!, ...axes.map(() => 1)];
  let out = y;
  if (weight) out = out.mul(reshape(weight, shape));
  if (bias) out = out.add(reshape(bias, shape));
  // The shift would make inactive voxels non-zero; sparse features stay 0 there.
  return out.mul(active);
}
