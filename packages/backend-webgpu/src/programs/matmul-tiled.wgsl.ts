import type { GpuTensor } from '../runtime/gpu-tensor.js';
import type { Program } from '../runtime/program.js';
import type { MatmulShape } from './matmul-shapes.js';
import { load1Fn, matmulUniforms, storedDims } from './matmul-shapes.js';

const Q = [0, 1, 2, 3];

/**
 * Matmul tiled through workgroup memory: a 16×16 workgroup computes a 64×64 block of C, staging 64×16
 * slices of A and B in workgroup memory (8 KiB) so that each global element is read once per workgroup;
 * each invocation accumulates 4×4 outputs. Reads from global memory run along the stored contiguous axis.
 */
export function matmulTiledProgram(s: MatmulShape, a: GpuTensor, b: GpuTensor, out: GpuTensor): Program {
  const mt = Math.ceil(s.m / 64);
  const nt = Math.ceil(s.n / 64);
  const d = storedDims(s);
  // Element e of the 1024 in a slice → (kk, mm) so that consecutive invocations read consecutive addresses.
  const aSlot = s.transposeA
    ? '      { let kk = e / 64u; let mm = e % 64u;\n        As[kk * 16u + mm / 4u][mm % 4u] = load_a(abase, k0 + kk, m0 + mm); }'
    : '      { let mm = e / 16u; let kk = e % 16u;\n        As[kk * 16u + mm / 4u][mm % 4u] = load_a(abase, m0 + mm, k0 + kk); }';
  const bSlot = s.transposeB
    ? '      { let nn = e / 16u; let kk = e % 16u;\n        Bs[kk * 16u + nn / 4u][nn % 4u] = load_b(bbase, n0 + nn, k0 + kk); }'
    : '      { let kk = e / 64u; let nn = e % 64u;\n        Bs[kk * 16u + nn / 4u][nn % 4u] = load_b(bbase, k0 + kk, n0 + nn); }';
  return {
    name: 'matmul.tiled',
    inputs: [{ name: 'a', tensor: a }, { name: 'b', tensor: b }],
    outputs: [{ name: 'out', tensor: out }],
    helpers: `var<workgroup> As: array<vec4<f32>, 256>;
var<workgroup> Bs: array<vec4<f32>, 256>;
${load1Fn('load_a', 'a', d.aRows, d.aCols)}
${load1Fn('load_b', 'b', d.bRows, d.bCols)}`,
    uniforms: matmulUniforms(s, [{ name: 'MT', value: mt }, { name: 'NT', value: nt }, { name: 'tiles', value: s.batch * mt * nt }]),
    workgroupSize: 256,
    workgroups: s.batch * mt * nt,
    body: `  if (wg >= P.tiles) { return; }
  let n0 = (wg % P.NT) * 64u;
  let m0 = ((wg / P.NT) % P.MT) * 64u;
  let bi = wg / (P.NT * P.MT);
  let abase = bi * P.M * P.K;
  let bbase = bi * P.K * P.N;
  let obase = bi * P.M * P.N;
  let tx = lid % 16u;
  let ty = lid / 16u;
${Q.map((i) => `  var c${i} = vec4<f32>(0.0);`).join('\n')}
  for (var k0 = 0u; k0 < P.K; k0 += 16u) {
    for (var q = 0u; q < 4u; q++) {
      let e = lid + q * 256u;
${aSlot}
${bSlot}
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
  if (row${i} < P.M) { for (var q = 0u; q < 4u; q++) { let n = n0 + tx * 4u + q; if (n < P.N) { out_set(obase + row${i} * P.N + n, c${i}[q]); } } }`).join('\n')}`,
  };
}
