import { OpenMindError, type Rng } from '@openmind-ssl/core';

/**
 * nnssl's blocky mask for one sample (create_blocky_mask): the patch is cut into a grid of
 * floor(size / blockSize) cells per axis, floor(ratio · cells) cells chosen by a random permutation are
 * hidden, and the grid is expanded to voxels by repeating each cell floor(size / grid) times.
 * @returns a [D·H·W] uint8 mask, 1 = visible, 0 = masked
 * @see nnssl-spec §3.1
 */
export function blockMask(patch: readonly [number, number, number], blockSize: number, ratio: number, rng: Rng): Uint8Array {
  const grid = patch.map((s) => Math.floor(s / blockSize));
  if (grid.some((g) => g < 1)) {
    throw new OpenMindError(`MAE: patch [${patch}] is smaller than one mask block of ${blockSize}; lower blockSize`);
  }
  const cells = grid[0]! * grid[1]! * grid[2]!;
  const hidden = Math.floor(ratio * cells);
  if (hidden === 0) {
    throw new OpenMindError(`MAE: a patch [${patch}] has ${cells} mask cell(s) of ${blockSize}³, so a ratio of ${ratio} hides none; lower blockSize (e.g. patch / 8)`);
  }
  const cellVisible = new Uint8Array(cells).fill(1);
  const order = rng.permutation(cells);
  for (let i = 0; i < hidden; i++) cellVisible[order[i]!] = 0;
  const repeat = patch.map((s, a) => Math.floor(s / grid[a]!));
  const cellOf = (i: number, a: number) => Math.min(Math.floor(i / repeat[a]!), grid[a]! - 1);
  const [d, h, w] = patch;
  const out = new Uint8Array(d * h * w);
  let o = 0;
  for (let z = 0; z < d; z++) {
    const cz = cellOf(z, 0) * grid[1]! * grid[2]!;
    for (let y = 0; y < h; y++) {
      const cy = cz + cellOf(y, 1) * grid[2]!;
      for (let x = 0; x < w; x++) out[o++] = cellVisible[cy + cellOf(x, 2)]!;
    }
  }
  return out;
}

/** One independent mask per sample, stacked to [N, 1, D, H, W] (uint8, 1 = visible). */
export function batchMask(n: number, patch: readonly [number, number, number], blockSize: number, ratio: number, rng: Rng): Uint8Array {
  const per = patch[0] * patch[1] * patch[2];
  const out = new Uint8Array(n * per);
  for (let i = 0; i < n; i++) out.set(blockMask(patch, blockSize, ratio, rng), i * per);
  return out;
}
