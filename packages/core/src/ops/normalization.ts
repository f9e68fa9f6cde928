import { record } from '../autograd/grad-node.js';
import { OpenMindError } from '../errors/openmind-error.js';
import type { Tensor } from '../tensor/tensor.js';
import { mean } from './reduce.js';
import { reshape } from './shape-ops.js';

/**
 * (x − mean) / sqrt(var + eps) over `axes` (biased variance, as every PyTorch norm layer uses).
 *
 * The gradient is written out, dx = r·(g − mean(g) − x̂·mean(g·x̂)) with r = 1/sqrt(var + eps), and
 * keeps only x̂ and r: differentiating the composite instead costs about twice the full-volume passes
 * (the broadcasts of both means come back as expanded volumes) and keeps the centred input as well.
 */
function standardize(x: Tensor, axes: number[], eps: number): Tensor {
  const engine = x.engine;
  const { xhat, r } = engine.tidy(() => engine.noGrad(() => {
    const centred = x.sub(mean(x, axes, true));
    const rs = mean(centred.square(), axes, true).add(eps).rsqrt();
    return { xhat: centred.mul(rs), r: rs };
  }));
  return record(xhat, 'standardize', [x], (g) => [
    g.sub(mean(g, axes, true)).sub(xhat.mul(mean(g.mul(xhat), axes, true))).mul(r),
  ]);
}

function affine(y: Tensor, weight: Tensor | undefined, bias: Tensor | undefined, shape: number[]): Tensor {
  let out = y;
  if (weight) out = out.mul(reshape(weight, shape));
  if (bias) out = out.add(reshape(bias, shape));
  return out;
}

/**
 * Instance normalisation: statistics per sample and channel over the spatial axes.
 * @param x [N, C, ...spatial] float32; weight, bias [C]
 */
export function instanceNorm(x: Tensor, weight?: Tensor, bias?: Tensor, eps = 1e-5): Tensor {
  if (x.rank < 3) throw new OpenMindError(`instanceNorm: input must be [N, C, ...spatial], got [${x.shape}]`);
  const axes = x.shape.slice(2).map((_, i) => i + 2);
  return affine(standardize(x, axes, eps), weight, bias, [1, x.shape[1]!, ...axes.map(() => 1)]);
}

/**
 * Layer normalisation over the trailing `normalizedRank` axes (PyTorch LayerNorm).
 * @param weight, bias shaped like those trailing axes
 */
export function layerNorm(x: Tensor, normalizedRank: number, weight?: Tensor, bias?: Tensor, eps = 1e-5): Tensor {
  const axes = Array.from({ length: normalizedRank }, (_, i) => x.rank - normalizedRank + i);
  return affine(standardize(x, axes, eps), weight, bias, x.shape.slice(x.rank - normalizedRank) as number[]);
}

/**
 * Group normalisation: channels split into `groups`, statistics per sample and group.
 * @param x [N, C, ...spatial]; weight, bias [C]
 */
export function groupNorm(x: Tensor, groups: number, weight?: Tensor, bias?: Tensor, eps = 1e-5): Tensor {
  const [n, c] = [x.shape[0]!, x.shape[1]!];
  if (c % groups !== 0) throw new OpenMindError(`groupNorm: ${c} channels do not split into ${groups} groups`);
  const grouped = reshape(x, [n, groups, -1]);
  const y = reshape(standardize(grouped, [2], eps), x.shape);
  return affine(y, weight, bias, [1, c, ...x.shape.slice(2).map(() => 1)]);
}

