import { OpenMindError, reshape, type Tensor, transpose } from '@openmind-ssl/core';
import type { Triple } from './config.js';

/*
 * The one token order of this package, used by the position embedding, the rotary table, pre-training
 * token dropping, the MAE loss mask and fine-tuning alike: tokens are the patch grid of the NCDHW volume
 * in row-major order, t = (i_d · H' + i_h) · W' + i_w, where (i_d, i_h, i_w) is the patch index along
 * tensor dims 2, 3, 4 and [D', H', W'] the token grid ('b c d h w -> b (d h w) c').
 *
 * This is the order of DNA's Primus ('b c w h d -> b (w h d) c': its letters name dims 2, 3, 4), so
 * fine-tuned checkpoints map onto DNA's Primus unchanged. nnssl's EvaMAE pre-training flattens
 * '(h w d)' instead and builds its loss mask in yet another order (nnssl-spec §3.3, §9.2); that defect is
 * not reproduced here.
 */

/**
 * Flattens a feature volume into tokens.
 * @param x [N, C, D', H', W']
 * @returns [N, D'·H'·W', C]
 */
export function volumeToTokens(x: Tensor): Tensor {
  if (x.rank !== 5) throw new OpenMindError(`volumeToTokens: input must be [N, C, D, H, W], but got [${x.shape.join(', ')}].`);
  const [n, c] = [x.shape[0]!, x.shape[1]!];
  return transpose(reshape(x, [n, c, -1]), [0, 2, 1]);
}

/**
 * The inverse of volumeToTokens.
 * @param tokens [N, D'·H'·W', C]
 * @param grid [D', H', W']
 * @returns [N, C, D', H', W']
 */
export function tokensToVolume(tokens: Tensor, grid: Triple): Tensor {
  const count = grid[0] * grid[1] * grid[2];
  if (tokens.rank !== 3 || tokens.shape[1] !== count) {
    throw new OpenMindError(`tokensToVolume: tokens must be [N, ${count}, C] for grid [${grid.join(', ')}], but got [${tokens.shape.join(', ')}].`);
  }
  const [n, , c] = tokens.shape as [number, number, number];
  return reshape(transpose(tokens, [0, 2, 1]), [n, c, ...grid]);
}

/** The token index of patch (i_d, i_h, i_w). */
export function tokenIndex(grid: Triple, id: number, ih: number, iw: number): number {
  return (id * grid[1] + ih) * grid[2] + iw;
}

/**
 * Expands one flag per token to voxels: the voxels of token t get flags[n·T + t].
 * @param flags [N·T] per-token values (row-major [N, T])
 * @param grid token grid [D', H', W']
 * @param patch voxels per token [pd, ph, pw]
 * @returns [N·D·H·W] row-major [N, 1, D, H, W]
 */
export function tokenFlagsToVoxels(flags: ArrayLike<number>, n: number, grid: Triple, patch: Triple): Float32Array {
  const tokens = grid[0] * grid[1] * grid[2];
  if (flags.length !== n * tokens) throw new OpenMindError(`tokenFlagsToVoxels: expected ${n * tokens} flags (${n} × ${tokens} tokens), but got ${flags.length}.`);
  const [d, h, w] = [grid[0] * patch[0], grid[1] * patch[1], grid[2] * patch[2]];
  const out = new Float32Array(n * d * h * w);
  let o = 0;
  for (let s = 0; s < n; s++) {
    for (let z = 0; z < d; z++) {
      for (let y = 0; y < h; y++) {
        const row = s * tokens + tokenIndex(grid, Math.floor(z / patch[0]), Math.floor(y / patch[1]), 0);
        for (let x = 0; x < w; x++) out[o++] = flags[row + Math.floor(x / patch[2])]!;
      }
    }
  }
  return out;
}
