import { logSoftmax, OpenMindError, sum, type Tensor, tensor } from '@openmind-ssl/core';

/**
 * NT-Xent (SimCLR's normalised temperature-scaled cross-entropy) as nnssl's NTXentLoss computes it with
 * cosine similarity: rows i and i + N of `embeddings` are a positive pair; every other row is a negative.
 * With S the cosine-similarity matrix of the 2N rows, row i's loss is
 * −log( exp(S[i, p(i)]/τ) / Σ_{j≠i} exp(S[i, j]/τ) ), and the loss is their sum over 2N rows divided by 2N.
 * @param embeddings [2N, D] float32: the N first views, then the N second views in the same order
 * @param temperature τ (nnssl: 0.5)
 * @throws OpenMindError when `embeddings` is not [2N, D] with N ≥ 1
 * @see nnssl-spec §3.5; Chen et al. 2020, arXiv 2002.05709
 */
export function ntXent(embeddings: Tensor, temperature: number): Tensor {
  const [rows, dim] = embeddings.shape as [number, number];
  if (embeddings.rank !== 2 || rows < 2 || rows % 2 !== 0 || !(dim > 0)) {
    throw new OpenMindError(`ntXent: embeddings must be [2N, D] with N ≥ 1, but got [${embeddings.shape.join(', ')}].`);
  }
  if (!(temperature > 0)) throw new RangeError(`ntXent: temperature must be positive, but got ${temperature}.`);
  const n = rows / 2;
  const similarity = cosineSimilarityMatrix(embeddings);
  // The row's own similarity leaves the softmax: −1e4 underflows exp() to exactly 0 in float32.
  const self = new Float32Array(rows * rows);
  const positive = new Float32Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    self[i * rows + i] = -1e4;
    positive[i * rows + ((i + n) % rows)] = 1;
  }
  const logits = similarity.div(temperature).add(tensor(self, [rows, rows], { engine: embeddings.engine }));
  const logp = logSoftmax(logits, 1);
  return sum(logp.mul(tensor(positive, [rows, rows], { engine: embeddings.engine }))).div(-rows);
}

/**
 * Cosine similarity of every pair of rows, [R, R] (the matrix NT-Xent scores).
 * @param embeddings [R, D] float32
 */
export function cosineSimilarityMatrix(embeddings: Tensor): Tensor {
  // F.normalize: x / max(‖x‖, 1e-12); the similarity of unit rows is their dot product.
  const z = embeddings.div(embeddings.square().sum(1, true).sqrt().maximum(1e-12));
  return z.matmul(z, false, true);
}
