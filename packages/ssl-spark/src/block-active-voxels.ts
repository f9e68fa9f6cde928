import { type ActiveVoxels, OpenMindError, type Tensor, tensor } from '@openmind-ssl/core';
import type { CellMask } from './cell-mask.js';

/**
 * SparK's active mask at any resolution, from the drawn cell mask (nnssl `_get_active_ex_or_ii`): at a
 * feature size of at least one cell per axis every cell covers floor(size / grid) voxels per axis (the
 * last cell also takes a remainder); coarser than the grid on every axis, and at the sizes in `dense`
 * (the bottleneck), every voxel is active. Masks are built once per size and reused.
 */
export class BlockActiveVoxels implements ActiveVoxels {
  private readonly cache = new Map<string, Tensor>();
  private readonly dense: Set<string>;

  constructor(readonly cells: CellMask, dense: readonly (readonly number[])[] = []) {
    this.dense = new Set(dense.map((s) => s.join(',')));
  }

  at(spatial: readonly number[]): Tensor | undefined {
    const key = spatial.join(',');
    if (this.dense.has(key)) return undefined;
    const { grid } = this.cells;
    const below = spatial.map((s, a) => s < grid[a]!);
    if (below.every(Boolean)) return undefined;
    if (spatial.length !== 3 || below.some(Boolean)) {
      throw new OpenMindError(
        `SparK: a feature map of [${spatial.join(', ')}] is finer than the mask grid [${grid.join(', ')}] on some axes and coarser on others; choose a blockSize that divides the patch evenly.`,
      );
    }
    let mask = this.cache.get(key);
    if (!mask) {
      mask = tensor(this.voxels(spatial as [number, number, number]), [this.cells.n, 1, ...spatial]);
      this.cache.set(key, mask);
    }
    return mask;
  }

  /** The mask at `spatial` on the host: row-major [N, 1, d, h, w], 1 = active. */
  voxels(spatial: readonly [number, number, number]): Float32Array {
    const { grid, n, visible } = this.cells;
    const [d, h, w] = spatial;
    const cellOf = (i: number, a: number) => Math.min(Math.floor(i / Math.floor(spatial[a]! / grid[a]!)), grid[a]! - 1);
    const cells = grid[0] * grid[1] * grid[2];
    const out = new Float32Array(n * d * h * w);
    let o = 0;
    for (let s = 0; s < n; s++) {
      for (let z = 0; z < d; z++) {
        const cz = s * cells + cellOf(z, 0) * grid[1] * grid[2];
        for (let y = 0; y < h; y++) {
          const cy = cz + cellOf(y, 1) * grid[2];
          for (let x = 0; x < w; x++) out[o++] = visible[cy + cellOf(x, 2)]!;
        }
      }
    }
    return out;
  }
}
