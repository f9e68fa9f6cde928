import type { GpuTensor } from '../runtime/gpu-tensor.js';
import type { Uniform } from '../runtime/program.js';

/** A batched product C[b] = op(A[b]) · op(B[b]) with op a transpose or not. */
export interface MatmulShape {
  readonly batch: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

export function matmulShape(a: GpuTensor, b: GpuTensor, transposeA: boolean, transposeB: boolean): MatmulShape {
  const [batch, a1, a2] = a.shape as [number, number, number];
  const [, b1, b2] = b.shape as [number, number, number];
  return {
    batch, m: transposeA ? a2 : a1, k: transposeA ? a1 : a2, n: transposeB ? b1 : b2, transposeA, transposeB,
  };
}

/** Sizes as uniforms `P.M`, `P.N`, `P.K` (and `P.threads` when given). */
export function matmulUniforms(s: MatmulShape, extra: readonly Uniform[] = []): Uniform[] {
  return [{ name: 'M', value: s.m }, { name: 'N', value: s.n }, { name: 'K', value: s.k }, ...extra];
}

/** WGSL names of the stored rows/cols of A and B (which depend on the transposes). */
export function storedDims(s: MatmulShape): { aRows: string; aCols: string; bRows: string; bCols: string } {
  return {
    aRows: s.transposeA ? 'P.K' : 'P.M',
    aCols: s.transposeA ? 'P.M' : 'P.K',
    bRows: s.transposeB ? 'P.N' : 'P.K',
    bCols: s.transposeB ? 'P.K' : 'P.N',
  };
}

/**
 * `fn <name>(base, r, c) -> vec4<f32>`: elements (r, c … c+3) of a stored row-major [rows, cols] matrix
 * starting at element `base`, zero outside it. With `aligned` (cols a multiple of 4) it is one vec4 load.
 */
export function load4Fn(name: string, binding: string, rows: string, cols: string, aligned: boolean): string {
  if (aligned) {
    return `fn ${name}(base: u32, r: u32, c: u32) -> vec4<f32> {
  if (r >= ${rows} || c >= ${cols}) { return vec4<f32>(0.0); }
  return ${binding}_get4((base + r * ${cols} + c) >> 2u);
}`;
  }
  // Four clamped scalar loads, masked by select: no loop and no dynamic vector index, both of which
  // make lavapipe's LLVM compile this kernel for many seconds.
  const lane = (q: number) => `select(0.0, ${binding}_get(row + min(c + ${q}u, last)), c + ${q}u < ${cols})`;
  return `fn ${name}(base: u32, r: u32, c: u32) -> vec4<f32> {
  if (r >= ${rows} || ${cols} == 0u) { return vec4<f32>(0.0); }
  let row = base + r * ${cols};
  let last = ${cols} - 1u;
  return vec4<f32>(${[0, 1, 2, 3].map(lane).join(', ')});
}`;
}

/** `fn <name>(base, r, c) -> f32`: element (r, c) of a stored [rows, cols] matrix, zero outside it. */
export function load1Fn(name: string, binding: string, rows: string, cols: string): string {
  return `fn ${name}(base: u32, r: u32, c: u32) -> f32 {
  if (r >= ${rows} || c >= ${cols}) { return 0.0; }
  return ${binding}_get(base + r * ${cols} + c);
}`;
}
