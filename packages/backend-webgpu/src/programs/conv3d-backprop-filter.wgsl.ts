import type { GpuTensor } from '../runtime/gpu-tensor.js';
import type { Program } from '../runtime/program.js';
import type { ConvGeometry } from './conv3d-geometry.js';
import { REGISTER_BLOCK, blockSize, convUniforms, range } from './conv3d-geometry.js';

/** How the filter gradient's long reduction (over N·OD·OH·OW) is split across invocations. */
export interface FilterSplit {
  /** Number of splits; each writes its own partial gradient, summed afterwards. */
  readonly splits: number;
  /** Output depth slices (n, od) per split. */
  readonly slabs: number;
}

/**
 * Gradient of a convolution with respect to its filter. Each invocation owns one tap of TM output ×
 * TN input channels and one split of the (batch, output depth) slices, and sums dy·x over its slices
 * (TM + TN loads per TM·TN multiply-adds). Output: partial gradients [splits, K, C/G, taps].
 */
export function convBackpropFilterRegisterProgram(
  g: ConvGeometry, x: GpuTensor, dy: GpuTensor, out: GpuTensor, split: FilterSplit,
): Program {
  const tm = blockSize(g.kg, REGISTER_BLOCK.rows);
  const tn = blockSize(g.cg, REGISTER_BLOCK.cols);
  const mb = Math.ceil(g.kg / tm);
  const cb = Math.ceil(g.cg / tn);
  const threads = split.splits * g.groups * mb * cb * g.taps;
  const I = range(tm);
  const J = range(tn);
  return {
    name: 'conv3dBackpropFilter.register',
    inputs: [{ name: 'x', tensor: x }, { name: 'dy', tensor: dy }],
    outputs: [{ name: 'out', tensor: out }],
    uniforms: convUniforms(g, [
      { name: 'MB', value: mb }, { name: 'CB', value: cb }, { name: 'SLABS', value: split.slabs }, { name: 'threads', value: threads },
    ]),
    workgroupSize: 64,
    threads,
    body: `  let tap = gid % P.TAPS;
  var t = gid / P.TAPS;
  let cb = t % P.CB; t = t / P.CB;
  let mb = t % P.MB; t = t / P.MB;
  let grp = t % P.G;
  let s = t / P.G;
  let tx = tap % P.KW;
  let ty = (tap / P.KW) % P.KH;
  let tz = tap / (P.KW * P.KH);
  let kl0 = mb * ${tm}u;
  let cl0 = cb * ${tn}u;
  let ODHW = P.OD * P.OH * P.OW;
  let DHW = P.D * P.H * P.W;
${I.map((i) => `  let kofs_${i} = (grp * P.KG + min(kl0 + ${i}u, P.KG - 1u)) * ODHW;`).join('\n')}
${J.map((j) => `  let cofs_${j} = (grp * P.CG + min(cl0 + ${j}u, P.CG - 1u)) * DHW;`).join('\n')}
${I.flatMap((i) => J.map((j) => `  var acc_${i}_${j} = 0.0f;`)).join('\n')}
  let s_end = min((s + 1u) * P.SLABS, P.N * P.OD);
  for (var sl = s * P.SLABS; sl < s_end; sl++) {
    let n = sl / P.OD;
    let oz = sl % P.OD;
    let iz = i32(oz * P.SD + tz * P.DD) - i32(P.PD);
    if (iz < 0 || iz >= i32(P.D)) { continue; }
    for (var oy = 0u; oy < P.OH; oy++) {
      let iy = i32(oy * P.SH + ty * P.DH) - i32(P.PH);
      if (iy < 0 || iy >= i32(P.H)) { continue; }
      let dyrow = n * P.K * ODHW + (oz * P.OH + oy) * P.OW;
      let xrow = n * P.C * DHW + (u32(iz) * P.H + u32(iy)) * P.W;
      for (var ox = 0u; ox < P.OW; ox++) {
        let ix = i32(ox * P.SW + tx * P.DW) - i32(P.PW);
        if (ix < 0 || ix >= i32(P.W)) { continue; }
${I.map((i) => `        let gv_${i} = dy_get(dyrow + kofs_${i} + ox);`).join('\n')}
${J.map((j) => `        let xv_${j} = x_get(xrow + cofs_${j} + u32(ix));`).join('\n')}
${I.flatMap((i) => J.map((j) => `        acc_${i}_${j} = fma(gv_${i}, xv_${j}, acc_${i}_${j});`)).join('\n')}
      }
    }
  }
  let per = P.K * P.CG * P.TAPS;
${I.map((i) => `  if (kl0 + ${i}u < P.KG) {
${J.map((j) => `    if (cl0 + ${j}u < P.CG) { out_set(s * per + ((grp * P.KG + kl0 + ${i}u) * P.CG + cl0 + ${j}u) * P.TAPS + tap, acc_${i}_${j}); }`).join('\n')}
  }`).join('\n')}`,
  };
}
