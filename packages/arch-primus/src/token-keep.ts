import { gather, OpenMindError, reshape, type Tensor, tensor, type TokenKeep } from '@openmind-ssl/core';

// TokenKeep (row-major [N, K] kept token indices) is core's, the type every token method shares.
export type { TokenKeep } from '@openmind-ssl/core';

/**
 * Checks that `keep` selects K distinct in-range tokens for each of n samples.
 * @throws OpenMindError naming the sample and index that is wrong.
 */
export function checkTokenKeep(keep: TokenKeep, n: number, tokens: number): void {
  const k = keep.perSample;
  if (!Number.isInteger(k) || k < 1 || k > tokens || keep.indices.length !== n * k) {
    throw new OpenMindError(`TokenKeep: expected ${n} samples × K kept tokens with 1 ≤ K ≤ ${tokens}, but got K = ${k} and ${keep.indices.length} indices.`);
  }
  const seen = new Uint8Array(tokens);
  for (let s = 0; s < n; s++) {
    seen.fill(0);
    for (let i = 0; i < k; i++) {
      const t = keep.indices[s * k + i]!;
      if (t < 0 || t >= tokens || seen[t]) {
        throw new OpenMindError(`TokenKeep: sample ${s} has ${t < 0 || t >= tokens ? 'out-of-range' : 'repeated'} token index ${t} (tokens: ${tokens}).`);
      }
      seen[t] = 1;
    }
  }
}

/** Per-token flags [N·T]: 1 where the token is kept, 0 where it is dropped. */
export function keptFlags(keep: TokenKeep, n: number, tokens: number): Uint8Array {
  const flags = new Uint8Array(n * tokens);
  for (let s = 0; s < n; s++) for (let i = 0; i < keep.perSample; i++) flags[s * tokens + keep.indices[s * keep.perSample + i]!] = 1;
  return flags;
}

/** Indices into the flattened [N·T] rows: n·T + keep[n, i]. */
export function flatKeepIndices(keep: TokenKeep, tokens: number): Int32Array {
  const k = keep.perSample;
  return keep.indices.map((t, i) => Math.floor(i / k) * tokens + t);
}

/**
 * The kept tokens of each sample, in the order of `keep`.
 * @param x [N, T, C]
 * @returns [N, K, C]
 */
export function gatherKeptTokens(x: Tensor, keep: TokenKeep): Tensor {
  const [n, t, c] = x.shape as [number, number, number];
  const idx = tensor(flatKeepIndices(keep, t), [n * keep.perSample], { dtype: 'int32', engine: x.engine });
  return reshape(gather(reshape(x, [n * t, c]), idx, 0), [n, keep.perSample, c]);
}
