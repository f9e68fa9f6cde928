import type { Program, ProgramBinding, Uniform } from '../runtime/program.js';

/**
 * A batched implicit GEMM C[bi] (rows × cols) = Σ_r A[bi](m, r) · B[bi](r, col), where A and B are
 * computed by WGSL functions (so convolutions need no im2col buffer):
 * `fn load_a(bi, m, r) -> f32`, `fn load_b(bi, r, col) -> f32`, `fn store_c(bi, m, col, v)`. The loads are
 * only called in range; they read sizes from the uniforms `P.GM` (rows), `P.GN` (cols), `P.GR` (reduction).
 */
export interface TiledGemmSpec {
  readonly name: string;
  readonly inputs: readonly ProgramBinding[];
  readonly outputs: readonly ProgramBinding[];
  readonly uniforms: readonly Uniform[];
  readonly batches: number;
  readonly rows: number;
  readonly cols: number;
  readonly functions: string;
  /** Whether consecutive r are neighbours in memory for A (and for B); picks the global read order. */
  readonly aAlongR: boolean;
  readonly bAlongR: boolean;
}

const Q = [0, 1, 2, 3];

/**
 * Tiled through workgroup memory: a 16×16 workgroup computes a 64×64 block, staging 64×16 slices of A and
 * B (8 KiB) between barriers; each invocation accumulates 4×4 results. Used on hardware GPUs.
 */
export function tiledGemmProgram(spec: TiledGemmSpec): Program {
  const mt = Math.ceil(spec.rows / 64);
  const nt = Math.ceil(spec.cols / 64);
  const tiles = spec.batches * mt * nt;
  const aSlot = spec.aAlongR ? 'let mm = e / 16u; let kk = e % 16u;' : 'let kk = e / 64u; let mm = e % 64u;';
  const bSlot = spec.bAlongR ? 'let nn = e / 16u; let kk = e % 16u;' : 'let kk = e / 64u; let nn = e % 64u;';
  return {
    name: spec.name,
    inputs: spec.inputs,
    outputs: spec.outputs,
    uniforms: [...spec.uniforms, { name: 'MT', value: mt }, { name: 'NT', value: nt }, { name: 'tiles', value: tiles }],
    helpers: `var<workgroup> As: array<vec4<f32>, 256>;
var<workgroup> Bs: array<vec4<f32>, 256>;
${spec.functions}`,
    workgroupSize: 256,
    workgroups: tiles,
    body: `  if (wg >= P.tiles) { return; }
  let n0 = (wg % P.NT) * 64u;
  let m0 = ((wg / P.NT) % P.MT) * 64u;
  let bi = wg / (P.NT * P.MT);
  let tx = lid % 16u;
  let ty = lid / 16u;
${Q.map((i) => `  var c${i} = vec4<f32>(0.0);`).join('\n')}
  for (var k0 = 0u; k0 < P.GR; k0 += 16u) {
    for (var q = 0u; q < 4u; q++) {
      let e = lid + q * 256u;
      {
        ${aSlot}
        var v = 0.0f;
        if (m0 + mm < P.GM && k0 + kk < P.GR) { v = load_a(bi, m0 + mm, k0 + kk); }
        As[kk * 16u + mm / 4u][mm % 4u] = v;
      }
      {
        ${bSlot}
        var v = 0.0f;
        if (n0 + nn < P.GN && k0 + kk < P.GR) { v = load_b(bi, k0 + kk, n0 + nn); }
        Bs[kk * 16u + nn / 4u][nn % 4u] = v;
      }
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk++) {
      let av = As[kk * 16u + ty];
      let bv = Bs[kk * 16u + tx];
${Q.map((i) => `      c${i} = fma(vec4<f32>(av[${i}]), bv, c${i});`).join('\n')}
    }
    workgroupBarrier();
  }
${Q.map((i) => `  let row${i} = m0 + ty * 4u + ${i}u;
  if (row${i} < P.GM) { for (var q = 0u; q < 4u; q++) { let col = n0 + tx * 4u + q; if (col < P.GN) { store_c(bi, row${i}, col, c${i}[q]); } } }`).join('\n')}`,
  };
}
