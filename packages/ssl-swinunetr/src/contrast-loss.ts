import { logSoftmax, OpenMindError, sum, type Tensor, tensor } from '@openmind-ssl/core';

/**
 * SwinUNETR's contrastive loss (nnssl SwinUNETRLoss, τ = 0.5): rows i and i + B of `embeddings` are the two
 * views of one sample; with S the cosine-similarity matrix of the 2B rows,
 * L = Σ_i −log( exp(S[i, p(i)]/τ) / Σ_{j≠i} exp(S[i, j]/τ) ) / (2B) (the denominator includes the positive).
 * @param embeddings [2B, D] float32: view 1 of every sample, then view 2
 * @see nnssl-spec §3.9
 */
export function swinContrastLoss(embeddings: Tensor, temperature: number): Tensor {
  const [rows] = embeddings.shape as [number];
  if (embeddings.rank !== 2 || rows < 2 || rows % 2 !== 0) {
    throw new OpenMindError(`swinContrastLoss: embeddings must be [2B, D] with B ≥ 1, but got [${embeddings.shape.join(', ')}].`);
  }
  const b = rows / 2;
  const z = embeddings.div(embeddings.square().sum(1, true).sqrt().maximum(1e-12));
  const self = new Float32Array(rows * rows);
  const positive = new Float32Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    // exp(−1e4) is exactly 0 in float32: the row's own similarity leaves the denominator.
    self[i * rows + i] = -1e4;
    positive[i * rows + ((i + b) % rows)] = 1;
  }
  const logits = z.matmul(z, false, true).div(temperature).add(tensor(self, [rows, rows], { engine: embeddings.engine }));
  return sum(logSoftmax(logits, 1).mul(tensor(positive, [rows, rows], { engine: embeddings.engine }))).div(-rows);
}
