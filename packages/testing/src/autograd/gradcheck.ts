import {
  type Backend, engineFor, gradients, Rng, Tensor, tensor, tidy, withBackend,
} from '@openmind-ssl/core';
import type { ReferenceBackend } from '../reference/reference-backend.js';

/** A differentiable function of float32 inputs, checked by `gradcheck`. */
export interface GradCase {
  id: string;
  /** Shapes of the float32 inputs, drawn N(0, 1) unless `positive` (then U(0.5, 2)). */
  inputs: readonly (readonly number[])[];
  positive?: boolean;
  /** The function; its output is reduced to a scalar with fixed random weights. */
  fn: (...xs: Tensor[]) => Tensor;
}

export interface GradMismatch {
  id: string;
  input: number;
  index: number;
  analytic: number;
  numeric: number;
}

function drawInputs(c: GradCase, rng: Rng): Float32Array[] {
  return c.inputs.map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = c.positive ? rng.uniformIn(0.5, 2) : rng.normal();
    return out;
  });
}

/** Loss = Σ fn(x) ⊙ w with fixed weights, so every output element contributes a distinct gradient. */
function weightedLoss(c: GradCase, xs: Tensor[], weightSeed: number): Tensor {
  const y = c.fn(...xs);
  const rng = new Rng(weightSeed);
  const w = new Float32Array(y.size);
  for (let i = 0; i < w.length; i++) w[i] = rng.uniformIn(-1, 1);
  return y.mul(tensor(w, y.shape, { engine: y.engine })).sum();
}

/** Analytic gradients of the case on `backend` (core autograd running that backend's kernels). */
export async function analyticGradients(c: GradCase, backend: Backend, seed: number): Promise<Float32Array[]> {
  const values = drawInputs(c, new Rng(seed));
  const grads = withBackend(backend, () =>
    tidy(() => {
      const xs = values.map((v, i) => tensor(v, c.inputs[i]!).requireGrad());
      const loss = weightedLoss(c, xs, seed + 1);
      return gradients(loss, xs).map((g, i) => g ?? tensor(new Float32Array(values[i]!.length), c.inputs[i]!));
    }),
  );
  const out = await Promise.all(grads.map((g) => g.floats()));
  grads.forEach((g) => g.dispose());
  return out;
}

/**
 * Central finite differences in float64 on the reference backend `oracle`, step h: inputs are uploaded
 * unrounded and the loss is read before any float32 rounding.
 */
export async function numericGradients(c: GradCase, oracle: ReferenceBackend, seed: number, h = 1e-4): Promise<Float64Array[]> {
  const values = drawInputs(c, new Rng(seed)).map((v) => Float64Array.from(v));
  const engine = engineFor(oracle);
  const evaluate = (vs: Float64Array[]): number =>
    withBackend(oracle, () =>
      tidy(() => {
        const xs = vs.map((v, i) => new Tensor(engine, oracle.uploadFloat64(v, c.inputs[i]!)));
        const loss = weightedLoss(c, xs, seed + 1);
        return oracle.readFloat64(loss.handle)[0]!;
      }),
    );
  return values.map((v, k) => {
    const g = new Float64Array(v.length);
    for (let i = 0; i < g.length; i++) {
      const plus = values.map((w) => w.slice());
      const minus = values.map((w) => w.slice());
      plus[k]![i]! += h;
      minus[k]![i]! -= h;
      g[i] = (evaluate(plus) - evaluate(minus)) / (2 * h);
    }
    return g;
  });
}

/**
 * Compares analytic gradients on `backend` with finite differences on `oracle`:
 * |a − n| ≤ atol + rtol·max(|a|, |n|). Returns the mismatches (empty when the case passes).
 */
export async function gradcheck(
  c: GradCase,
  backend: Backend,
  oracle: ReferenceBackend,
  options: { seed?: number; rtol?: number; atol?: number } = {},
): Promise<GradMismatch[]> {
  const seed = options.seed ?? 7;
  const rtol = options.rtol ?? 1e-3;
  const atol = options.atol ?? 1e-4;
  const [a, n] = [await analyticGradients(c, backend, seed), await numericGradients(c, oracle, seed)];
  const bad: GradMismatch[] = [];
  a.forEach((ga, k) => ga.forEach((v, i) => {
    const num = n[k]![i]!;
    if (!(Math.abs(v - num) <= atol + rtol * Math.max(Math.abs(v), Math.abs(num)))) {
      bad.push({ id: c.id, input: k, index: i, analytic: v, numeric: num });
    }
  }));
  return bad;
}
