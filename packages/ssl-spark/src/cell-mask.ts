import { OpenMindError, type Rng } from '@openmind-ssl/core';

/** SparK's mask as drawn: which cells of a coarse grid each sample sees. */
export interface CellMask {
  /** Cells per axis [d, h, w] (patch // blockSize). */
  readonly grid: readonly [number, number, number];
  /** Samples. */
  readonly n: number;
  /** Row-major [N, gd, gh, gw], 1 = visible, 0 = hidden. */
  readonly visible: Uint8Array;
}

/**
 * nnssl's blocky mask (create_blocky_mask, used by SparkMAETrainer through BaseMAETrainer) for each of
 * `n` samples: the patch is cut into floor(size / blockSize) cells per axis and floor(ratio · cells) cells,
 * the first of a random permutation, are hidden.
 * @throws OpenMindError when the patch holds no cell, or the ratio hides none
 * @see nnssl-spec §3.1
 */
export function drawCellMask(n: number, patch: readonly [number, number, number], blockSize: number, ratio: number, rng: Rng): CellMask {
  const grid = patch.map((s) => Math.floor(s / blockSize)) as [number, number, number];
  if (grid.some((g) => g < 1)) {
    throw new OpenMindError(`SparK: blockSize must be at most the patch's smallest side, but got ${blockSize} for a patch of [${patch.join(', ')}].`);
  }
  const cells = grid[0] * grid[1] * grid[2];
  const hidden = Math.floor(ratio * cells);
  if (hidden === 0) {
    throw new OpenMindError(`SparK: a patch [${patch.join(', ')}] has ${cells} mask cell(s) of ${blockSize}³, so maskRatio ${ratio} hides none.\nHint: lower blockSize (e.g. patch / 8).`);
  }
  const visible = new Uint8Array(n * cells).fill(1);
  for (let i = 0; i < n; i++) {
    const order = rng.permutation(cells);
    for (let k = 0; k < hidden; k++) visible[i * cells + order[k]!] = 0;
  }
  return { grid, n, visible };
}
