import type { GpuTensor } from '../runtime/gpu-tensor.js';
import type { Program } from '../runtime/program.js';
import type { MatmulShape } from './matmul-shapes.js';
import { load4Fn, matmulUniforms, storedDims } from './matmul-shapes.js';

const Q = [0, 1, 2, 3];
const LANE = ['x', 'y', 'z', 'w'];

/**
 * Matmul without workgroup memory: each invocation computes a 4×4 block of C from vec4 loads (four rows
 * of A, four of B per step of 4 along k) and keeps it in registers. No barriers, so it suits devices
 * where workgroups are emulated on CPU threads (lavapipe). Sizes are uniforms; only the transposes and
 * whether the stored rows are vec4-aligned select a different source.
 */
export function matmulRegisterProgram(s: MatmulShape, a: GpuTensor, b: GpuTensor, out: GpuTensor): Program {
  const mb = Math.ceil(s.m / 4);
  const nb = Math.ceil(s.n / 4);
  const d = storedDims(s);
  const aAligned = (s.transposeA ? s.m : s.k) % 4 === 0;
  const bAligned = (s.transposeB ? s.k : s.n) % 4 === 0;
  const vecOut = s.n % 4 === 0;
  // Rows of A over k (a_i) and rows of B over n (b_j), from whichever layout is stored.
  const aRowsCode = s.transposeA
    ? [...Q.map((j) => `    let ta${j} = load_a(abase, k + ${j}u, m0);`), ...Q.map((i) => `    let a${i} = vec4<f32>(ta0[${i}], ta1[${i}], ta2[${i}], ta3[${i}]);`)]
    : Q.map((i) => `    let a${i} = load_a(abase, m0 + ${i}u, k);`);
  const bRowsCode = s.transposeB
    ? [...Q.map((c) => `    let tb${c} = load_b(bbase, n0 + ${c}u, k);`), ...Q.map((j) => `    let b${j} = vec4<f32>(tb0[${j}], tb1[${j}], tb2[${j}], tb3[${j}]);`)]
    : Q.map((j) => `    let b${j} = load_b(bbase, k + ${j}u, n0);`);
  const fmas = Q.map((i) => `    c${i} = ${Q.reduce((acc, j) => `fma(vec4<f32>(a${i}.${LANE[j]}), b${j}, ${acc})`, `c${i}`)};`);
  const store = Q.map((i) => (vecOut
    ? `  if (m0 + ${i}u < P.M) { out_set4((obase + (m0 + ${i}u) * P.N + n0) >> 2u, c${i}); }`
    : `  if (m0 + ${i}u < P.M) { for (var q = 0u; q < 4u; q++) { if (n0 + q < P.N) { out_set(obase + (m0 + ${i}u) * P.N + n0 + q, c${i}[q]); } } }`));
  return {
    name: 'matmul.register',
    inputs: [{ name: 'a', tensor: a, vec4: aAligned }, { name: 'b', tensor: b, vec4: bAligned }],
    outputs: [{ name: 'out', tensor: out, vec4: vecOut }],
    helpers: `${load4Fn('load_a', 'a', d.aRows, d.aCols, aAligned)}\n${load4Fn('load_b', 'b', d.bRows, d.bCols, bAligned)}`,
    uniforms: matmulUniforms(s, [{ name: 'MB', value: mb }, { name: 'NB', value: nb }, { name: 'threads', value: s.batch * mb * nb }]),
    workgroupSize: 64,
    threads: s.batch * mb * nb,
    body: `  let n0 = (gid % P.NB) * 4u;
  let m0 = ((gid / P.NB) % P.MB) * 4u;
  let bi = gid / (P.NB * P.MB);
  let abase = bi * P.M * P.K;
  let bbase = bi * P.K * P.N;
  let obase = bi * P.M * P.N;
${Q.map((i) => `  var c${i} = vec4<f32>(0.0);`).join('\n')}
  for (var k = 0u; k < P.K; k += 4u) {
${aRowsCode.join('\n')}
${bRowsCode.join('\n')}
${fmas.join('\n')}
  }
${store.join('\n')}`,
  };
}
