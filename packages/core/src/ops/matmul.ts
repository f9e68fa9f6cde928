import { record } from '../autograd/grad-node.js';
import { OpenMindError } from '../errors/openmind-error.js';
import { broadcastShapes, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { expand, reshape } from './shape-ops.js';

/**
 * Matrix product of the last two axes, with NumPy broadcasting of the leading (batch) axes:
 * a [..., M, K] × b [..., K, N] → [..., M, N] (before optional transposes of each operand).
 * @throws OpenMindError when an operand has rank < 2, the inner sizes differ, or a dtype is not float32.
 */
export function matmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  if (a.rank < 2 || b.rank < 2) throw new OpenMindError(`matmul: operands need rank ≥ 2, got [${a.shape}] and [${b.shape}]`);
  if (a.dtype !== 'float32' || b.dtype !== 'float32') throw new OpenMindError('matmul: operands must be float32');
  const [m, ka] = transposeA ? [a.shape.at(-1)!, a.shape.at(-2)!] : [a.shape.at(-2)!, a.shape.at(-1)!];
  const [kb, n] = transposeB ? [b.shape.at(-1)!, b.shape.at(-2)!] : [b.shape.at(-2)!, b.shape.at(-1)!];
  if (ka !== kb) {
    throw new OpenMindError(`matmul: inner sizes differ: [${a.shape}]${transposeA ? 'ᵀ' : ''} × [${b.shape}]${transposeB ? 'ᵀ' : ''}`);
  }
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'matmul');
  const a3 = toBatch3(a, batch);
  const b3 = toBatch3(b, batch);
  const y3 = new Tensor(a.engine, a.engine.backend.matmul(a3.handle, b3.handle, transposeA, transposeB));
  record(y3, 'matmul', [a3, b3], (dy) => [
    a3.needsGrad ? (transposeA ? matmul(b3, dy, transposeB, true) : matmul(dy, b3, false, !transposeB)) : undefined,
    b3.needsGrad ? (transposeB ? matmul(dy, a3, true, transposeA) : matmul(a3, dy, !transposeA, false)) : undefined,
  ]);
  return reshape(y3, [...batch, m, n]);
}

/** Broadcasts the batch axes and folds them into one: [...batch, R, C] → [B, R, C]. */
function toBatch3(x: Tensor, batch: number[]): Tensor {
  const full = [...batch, ...x.shape.slice(-2)];
  const expanded = x.rank === full.length && x.shape.every((d, i) => d === full[i]) ? x : expand(x, full);
  return reshape(expanded, [sizeOf(batch), ...x.shape.slice(-2)]);
}

