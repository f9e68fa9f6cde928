import { OpenMindError } from '../errors/openmind-error.js';
import { tensor } from '../ops/create.js';
import type { Rng } from '../random/rng.js';
import { sizeOf, type Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Fan-in and fan-out of a weight as PyTorch computes them: dim 1 × receptive field and dim 0 × receptive
 * field (for a transposed conv, whose weight is [C_in, C_out/groups, …], that makes fan-in C_out/groups·k³).
 */
export function fans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length < 2) throw new OpenMindError(`fans: need a weight of rank ≥ 2, got [${shape}]`);
  const receptive = sizeOf(shape.slice(2));
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

/** U(-bound, bound). */
export function uniformInit(shape: Shape, bound: number, rng: Rng): Tensor {
  return tensor(rng.fillUniform(new Float32Array(sizeOf(shape)), -bound, bound), shape);
}

/** PyTorch's default for Conv/Linear weights: kaiming_uniform(a=√5), i.e. U(±1/√fan_in). */
export function torchDefaultWeight(shape: Shape, rng: Rng): Tensor {
  return uniformInit(shape, 1 / Math.sqrt(fans(shape).fanIn), rng);
}

/** PyTorch's default for Conv/Linear biases: U(±1/√fan_in of the weight). */
export function torchDefaultBias(size: number, weightShape: Shape, rng: Rng): Tensor {
  const { fanIn } = fans(weightShape);
  return uniformInit([size], fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0, rng);
}

/** kaiming_normal_ (fan_in mode, leaky-ReLU gain): N(0, gain²/fan_in) with gain = √(2 / (1 + a²)). */
export function kaimingNormal(shape: Shape, rng: Rng, a = 0): Tensor {
  const std = Math.sqrt(2 / (1 + a * a)) / Math.sqrt(fans(shape).fanIn);
  return tensor(rng.fillNormal(new Float32Array(sizeOf(shape)), 0, std), shape);
}

/** trunc_normal_: N(mean, std²) redrawn outside the absolute bounds [a, b]. */
export function truncatedNormal(shape: Shape, rng: Rng, std = 0.02, mean = 0, a = -2, b = 2): Tensor {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.truncatedNormal(mean, std, a, b);
  return tensor(data, shape);
}
