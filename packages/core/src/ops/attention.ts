import { record } from '../autograd/grad-node.js';
import { OpenMindError } from '../errors/openmind-error.js';
import { sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { matmul } from './matmul.js';
import { max, sum } from './reduce.js';
import { concat, slice } from './shape-ops.js';

/** Options of scaledDotProductAttention. */
export interface AttentionOptions {
  /** Multiplies the scores q·kᵀ (default 1/√d, PyTorch's). */
  scale?: number;
  /**
   * Upper bound on the elements of one block of scores (leading axes × query rows × keys). Queries are
   * processed in blocks of as many rows as fit, so peak memory is a few such blocks whatever the sequence
   * length. Default 2²⁵ (128 MiB of float32 per block).
   */
  maxScoreElements?: number;
}

const DEFAULT_MAX_SCORE_ELEMENTS = 2 ** 25;

/**
 * softmax(q·kᵀ · scale) · v, computed in blocks of query rows so the full [..., Nq, Nk] score matrix is
 * never held (at 8000 tokens and 12 heads it would be 3 GB of float32). The forward pass keeps only the
 * output and each row's log-sum-exp; the backward pass recomputes each block's probabilities from them
 * (the FlashAttention recurrence), so training memory is bounded the same way. A composite of core ops,
 * it runs on every backend.
 * @param q [..., Nq, d] float32
 * @param k [..., Nk, d] float32, the same leading axes as q
 * @param v [..., Nk, dv] float32
 * @returns [..., Nq, dv]
 * @throws OpenMindError when ranks, leading axes or inner sizes disagree, or maxScoreElements < 1.
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions = {}): Tensor {
  checkInputs(q, k, v);
  const d = q.shape.at(-1)!;
  const scale = options.scale ?? 1 / Math.sqrt(d);
  const budget = options.maxScoreElements ?? DEFAULT_MAX_SCORE_ELEMENTS;
  if (!(budget >= 1)) throw new OpenMindError(`scaledDotProductAttention: maxScoreElements must be ≥ 1, but got ${budget}.`);
  const rank = q.rank;
  const nq = q.shape[rank - 2]!;
  const nk = k.shape[rank - 2]!;
  const lead = sizeOf(q.shape.slice(0, -2));
  const rows = Math.max(1, Math.min(nq, Math.floor(budget / Math.max(1, lead * nk))));
  const blocks: [number, number][] = [];
  for (let start = 0; start < nq; start += rows) blocks.push([start, Math.min(rows, nq - start)]);
  const rowSlice = (t: Tensor, [start, n]: [number, number]): Tensor =>
    slice(t, t.shape.map((_, i) => (i === rank - 2 ? start : 0)), t.shape.map((s, i) => (i === rank - 2 ? n : s)));

  const engine = q.engine;
  const [out, lse] = engine.noGrad(() => {
    const outs: Tensor[] = [];
    const lses: Tensor[] = [];
    for (const b of blocks) {
      const [o, l] = engine.tidy(() => {
        const s = matmul(rowSlice(q, b), k, false, true).mul(scale);
        const m = max(s, -1, true);
        const e = s.sub(m).exp();
        const z = sum(e, -1, true);
        return [matmul(e, v).div(z), m.add(z.log())] as const;
      });
      outs.push(o);
      lses.push(l);
    }
    const joined = [concat(outs, rank - 2), concat(lses, rank - 2)] as const;
    for (const t of [...outs, ...lses]) t.dispose();
    return joined;
  });

  return record(out, 'scaledDotProductAttention', [q, k, v], (dOut) => {
    // dS = P ⊙ (dP − rowsum(dO ⊙ O)) with P = exp(S − lse), recomputed block by block.
    const delta = sum(dOut.mul(out), -1, true);
    let dk: Tensor | undefined;
    let dv: Tensor | undefined;
    const dqs: Tensor[] = [];
    const accumulate = (acc: Tensor | undefined, add: Tensor): Tensor => {
      if (!acc) return add;
      const next = acc.add(add);
      acc.dispose();
      add.dispose();
      return next;
    };
    for (const b of blocks) {
      const [dqBlock, dkPart, dvPart] = engine.tidy(() => {
        const qb = rowSlice(q, b);
        const dob = rowSlice(dOut, b);
        const p = matmul(qb, k, false, true).mul(scale).sub(rowSlice(lse, b)).exp();
        const ds = p.mul(matmul(dob, v, false, true).sub(rowSlice(delta, b)));
        return [
          q.needsGrad ? matmul(ds, k).mul(scale) : undefined,
          k.needsGrad ? matmul(ds, qb, true, false).mul(scale) : undefined,
          v.needsGrad ? matmul(p, dob, true, false) : undefined,
        ] as const;
      });
      if (dqBlock) dqs.push(dqBlock);
      if (dkPart) dk = accumulate(dk, dkPart);
      if (dvPart) dv = accumulate(dv, dvPart);
    }
    const dq = dqs.length ? concat(dqs, rank - 2) : undefined;
    for (const t of dqs) t.dispose();
    return [dq, dk, dv];
  });
}

function checkInputs(q: Tensor, k: Tensor, v: Tensor): void {
  const r = q.rank;
  const lead = (t: Tensor) => t.shape.slice(0, -2).join(', ');
  if (r < 2 || k.rank !== r || v.rank !== r) {
    throw new OpenMindError(`scaledDotProductAttention: q, k and v must have one rank ≥ 2, but got [${q.shape}], [${k.shape}] and [${v.shape}].`);
  }
  if (lead(k) !== lead(q) || lead(v) !== lead(q)) {
    throw new OpenMindError(`scaledDotProductAttention: q, k and v must share their leading axes, but got [${q.shape}], [${k.shape}] and [${v.shape}].`);
  }
  if (k.shape[r - 1] !== q.shape[r - 1] || v.shape[r - 2] !== k.shape[r - 2]) {
    throw new OpenMindError(
      `scaledDotProductAttention: q [..., Nq, d], k [..., Nk, d] and v [..., Nk, dv] disagree: got [${q.shape}], [${k.shape}] and [${v.shape}].`,
    );
  }
  if (q.dtype !== 'float32' || k.dtype !== 'float32' || v.dtype !== 'float32') {
    throw new OpenMindError('scaledDotProductAttention: q, k and v must be float32.');
  }
}
