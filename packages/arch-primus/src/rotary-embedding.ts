import { concat, gather, Module, neg, reshape, slice, type Tensor, tensor } from '@openmind-ssl/core';
import type { Triple } from './config.js';
import type { TokenKeep } from './token-keep.js';

/** Sine and cosine tables broadcastable to [N, heads, tokens, headDim]. */
export interface RopeTables {
  sin: Tensor;
  cos: Tensor;
}

/**
 * The 3D rotary tables of timm's RotaryEmbeddingCat as DNA's Eva builds it (in_pixels=False,
 * feat_shape = ref_feat_shape = the token grid, temperature 10000, 'ij' grid): with b = headDim/6 bands
 * ω_j = 1/10000^(j/b), token (i_d, i_h, i_w) gets angles [i_d·ω, i_h·ω, i_w·ω] (axis-major), each repeated
 * twice (pairs), so all headDim channels rotate. Values are rounded to float32 at each step, as torch
 * computes them in float32.
 * @returns row-major [T, headDim] sine and cosine tables, tokens in this package's order
 */
export function rotaryTables(grid: Triple, headDim: number, temperature = 10000): { sin: Float32Array; cos: Float32Array } {
  const bands = headDim / 6;
  const omega = Array.from({ length: bands }, (_, j) => Math.fround(1 / Math.fround(temperature ** Math.fround(j / bands))));
  const count = grid[0] * grid[1] * grid[2];
  const sin = new Float32Array(count * headDim);
  const cos = new Float32Array(count * headDim);
  let t = 0;
  for (let a = 0; a < grid[0]; a++) {
    for (let b = 0; b < grid[1]; b++) {
      for (let c = 0; c < grid[2]; c++, t++) {
        const coord = [a, b, c];
        for (let axis = 0; axis < 3; axis++) {
          for (let j = 0; j < bands; j++) {
            const angle = Math.fround(coord[axis]! * omega[j]!);
            const ch = t * headDim + 2 * (axis * bands + j);
            sin[ch] = sin[ch + 1] = Math.sin(angle);
            cos[ch] = cos[ch + 1] = Math.cos(angle);
          }
        }
      }
    }
  }
  return { sin, cos };
}

/**
 * The rotary table of one token grid, held as non-persistent buffers (like torch's `rope.pos_embed`, it
 * is not part of the state dict).
 */
export class RotaryEmbedding3d extends Module {
  readonly sin: Tensor;
  readonly cos: Tensor;
  readonly tokens: number;

  constructor(
    readonly grid: Triple,
    readonly headDim: number,
  ) {
    super();
    this.tokens = grid[0] * grid[1] * grid[2];
    const tables = rotaryTables(grid, headDim);
    this.sin = this.buffer('sin', tensor(tables.sin, [this.tokens, headDim]), false);
    this.cos = this.buffer('cos', tensor(tables.cos, [this.tokens, headDim]), false);
  }

  /**
   * The tables for every token ([1, 1, T, headDim]) or, with `keep`, for each sample's kept tokens
   * ([N, 1, K, headDim]), so the rotation follows the tokens it belongs to.
   */
  tables(keep?: TokenKeep): RopeTables {
    if (!keep) {
      return { sin: reshape(this.sin, [1, 1, this.tokens, this.headDim]), cos: reshape(this.cos, [1, 1, this.tokens, this.headDim]) };
    }
    const k = keep.perSample;
    const n = keep.indices.length / k;
    const idx = tensor(keep.indices, [keep.indices.length], { dtype: 'int32', engine: this.sin.engine });
    const pick = (table: Tensor) => reshape(gather(table, idx, 0), [n, 1, k, this.headDim]);
    return { sin: pick(this.sin), cos: pick(this.cos) };
  }
}

/**
 * x·cos + rot(x)·sin with rot((x0, x1, x2, x3, …)) = (−x1, x0, −x3, x2, …) (timm apply_rot_embed_cat,
 * interleaved pairs).
 * @param x [N, heads, tokens, headDim]
 */
export function applyRotary(x: Tensor, rope: RopeTables): Tensor {
  const lead = x.shape.slice(0, -1);
  const hd = x.shape.at(-1)!;
  const pairs = reshape(x, [...lead, hd / 2, 2]);
  const size = [...lead, hd / 2, 1];
  const even = slice(pairs, [...lead.map(() => 0), 0, 0], size);
  const odd = slice(pairs, [...lead.map(() => 0), 0, 1], size);
  const rotated = reshape(concat([neg(odd), even], -1), x.shape);
  return x.mul(rope.cos).add(rotated.mul(rope.sin));
}
