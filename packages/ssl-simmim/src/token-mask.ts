import { OpenMindError, type Rng } from '@openmind-ssl/core';

/**
 * nnssl's SimMIM mask (mask_creation with block = token size): per sample, trunc(ratio · T) tokens chosen
 * by a random permutation are masked, the rest visible.
 * @returns row-major [N, T] uint8, 1 = visible, 0 = replaced by the mask token
 * @throws OpenMindError when the ratio masks no token or every token
 * @see nnssl-spec §3.4
 */
export function drawTokenMask(n: number, tokens: number, ratio: number, rng: Rng): Uint8Array {
  const masked = Math.trunc(ratio * tokens);
  if (masked < 1 || masked >= tokens) {
    throw new OpenMindError(`SimMIM: a mask ratio of ${ratio} on ${tokens} tokens masks ${masked}; it must mask at least one token and leave one visible (use a larger patch or another ratio)`);
  }
  const visible = new Uint8Array(n * tokens).fill(1);
  for (let s = 0; s < n; s++) {
    const order = rng.permutation(tokens);
    for (let i = 0; i < masked; i++) visible[s * tokens + order[i]!] = 0;
  }
  return visible;
}
