import { OpenMindError, relu, reshape, sum, type Tensor, tensor } from '@openmind-ssl/core';

/**
 * Cosine similarity of every row of `a` [B, P, D] with every row of `b` [B, Q, D] → [B, P, Q] (PyTorch's
 * F.cosine_similarity, eps 1e-8 per norm).
 */
export function pairwiseCosine(a: Tensor, b: Tensor): Tensor {
  const unit = (x: Tensor) => x.div(x.square().sum(2, true).sqrt().maximum(1e-8));
  return unit(a).matmul(unit(b), false, true);
}

/**
 * VoCo's prediction loss (nnssl VoCoLoss): sim = relu(cos(target, base)) [B, T, N];
 * pos = Σ −log(1 − |gt − sim| + 1e-6)·gt / Σ gt; neg = Σ sim²·[gt = 0] / Σ([gt = 0] + 1e-6); pos + neg.
 * The base embeddings are detached (they learn through the regularisation loss only).
 * @param base [B, N, D] base-crop embeddings; target [B, T, D]; overlaps [B, T, N] float32, each row sums to 1
 * @see nnssl-spec §3.6; Wu et al., VoCo, CVPR 2024
 */
export function vocoPredictionLoss(base: Tensor, target: Tensor, overlaps: Tensor): Tensor {
  const sim = relu(pairwiseCosine(target, base.detach()));
  if (sim.shape.some((s, i) => s !== overlaps.shape[i]) || overlaps.rank !== 3) {
    throw new OpenMindError(`vocoPredictionLoss: overlaps must be [B, T, N] = [${sim.shape.join(', ')}], but got [${overlaps.shape.join(', ')}].`);
  }
  const gt = overlaps;
  const pos = sum(sim.sub(gt).abs().neg().add(1 + 1e-6).log().neg().mul(gt)).div(sum(gt));
  const empty = gt.equal(0).cast('float32');
  const neg = sum(sim.square().mul(empty)).div(sum(empty.add(1e-6)));
  return pos.add(neg);
}

/**
 * VoCo's regularisation loss: the mean over images of the mean relu-cosine similarity of every pair of
 * distinct base crops, S = relu(cos(base_i, base_j)), Σ_{i<j} S · 2 / (N(N − 1)).
 * @param base [B, N, D] base-crop embeddings (N ≥ 2)
 */
export function vocoRegularizationLoss(base: Tensor): Tensor {
  const [b, n] = base.shape as [number, number];
  if (base.rank !== 3 || n < 2) throw new OpenMindError(`vocoRegularizationLoss: base must be [B, N ≥ 2, D], but got [${base.shape.join(', ')}].`);
  const upper = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) upper[i * n + j] = 2 / (n * (n - 1));
  const s = relu(pairwiseCosine(base, base));
  return sum(s.mul(reshape(tensor(upper, [n * n], { engine: base.engine }), [1, n, n]))).div(b);
}

/** The VoCo loss: predWeight · prediction + regWeight · regularisation (nnssl: 1 and 1). */
export function vocoLoss(base: Tensor, target: Tensor, overlaps: Tensor, w: { predWeight: number; regWeight: number } = { predWeight: 1, regWeight: 1 }): Tensor {
  return vocoPredictionLoss(base, target, overlaps).mul(w.predWeight).add(vocoRegularizationLoss(base).mul(w.regWeight));
}
