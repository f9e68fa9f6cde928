import type { GpuTensor } from '../runtime/gpu-tensor.js';
import type { Program } from '../runtime/program.js';
import type { ConvGeometry } from './conv3d-geometry.js';
import { REGISTER_BLOCK, blockSize, convUniforms, range } from './conv3d-geometry.js';

/**
 * Gradient of a convolution with respect to its input (also the transposed convolution), gathered per
 * input voxel so that no two invocations write the same element: each computes TM input channels × TN
 * neighbouring voxels along W and visits the taps whose output position o satisfies o·s = i + p − t·dil
 * (skipping taps that the stride does not divide).
 */
export function convBackpropInputRegisterProgram(g: ConvGeometry, dy: GpuTensor, w: GpuTensor, out: GpuTensor): Program {
  const tm = blockSize(g.cg, REGISTER_BLOCK.rows);
  const tn = blockSize(g.w, REGISTER_BLOCK.cols);
  const cb = Math.ceil(g.cg / tm);
  const iwb = Math.ceil(g.w / tn);
  const threads = g.n * g.groups * cb * g.d * g.h * iwb;
  const I = range(tm);
  const J = range(tn);
  // Strides and dilations are baked in: the divisibility tests in the inner loop then divide by
  // constants (a shift for stride 2, nothing for stride 1) instead of by a uniform, which CPUs emulating
  // the GPU cannot vectorise. Real networks use only a few stride/dilation combinations.
  const [SD, SH, SW] = g.stride.map((v) => `${v}u`) as [string, string, string];
  const [DD, DH, DW] = g.dilation.map((v) => `${v}u`) as [string, string, string];
  return {
    name: 'conv3dBackpropInput.register',
    inputs: [{ name: 'dy', tensor: dy }, { name: 'w', tensor: w }],
    outputs: [{ name: 'out', tensor: out }],
    uniforms: convUniforms(g, [{ name: 'CB', value: cb }, { name: 'IWB', value: iwb }, { name: 'threads', value: threads }]),
    workgroupSize: 64,
    threads,
    body: `  let iwb = gid % P.IWB;
  var t = gid / P.IWB;
  let iy = t % P.H; t = t / P.H;
  let iz = t % P.D; t = t / P.D;
  let cb = t % P.CB; t = t / P.CB;
  let grp = t % P.G;
  let n = t / P.G;
  let ix0 = iwb * ${tn}u;
  let cl0 = cb * ${tm}u;
${J.map((j) => `  let in_${j} = ix0 + ${j}u < P.W;`).join('\n')}
${I.map((i) => `  let crow_${i} = min(cl0 + ${i}u, P.CG - 1u) * P.TAPS;`).join('\n')}
${I.flatMap((i) => J.map((j) => `  var acc_${i}_${j} = 0.0f;`)).join('\n')}
  let ODHW = P.OD * P.OH * P.OW;
  for (var kl = 0u; kl < P.KG; kl++) {
    let kk = grp * P.KG + kl;
    let wbase = kk * P.CG * P.TAPS;
    let dybase = (n * P.K + kk) * ODHW;
    var r = 0u;
    for (var tz = 0u; tz < P.KD; tz++) {
      let zn = i32(iz + P.PD) - i32(tz * ${DD});
      let oz = u32(zn) / ${SD};
      let vz = zn >= 0 && u32(zn) % ${SD} == 0u && oz < P.OD;
      for (var ty = 0u; ty < P.KH; ty++) {
        let yn = i32(iy + P.PH) - i32(ty * ${DH});
        let oy = u32(yn) / ${SH};
        let vzy = vz && yn >= 0 && u32(yn) % ${SH} == 0u && oy < P.OH;
        if (!vzy) { r += P.KW; continue; }
        let rowbase = dybase + (oz * P.OH + oy) * P.OW;
        for (var tx = 0u; tx < P.KW; tx++) {
${I.map((i) => `          let wv_${i} = w_get(wbase + crow_${i} + r);`).join('\n')}
          let dx = i32(tx * ${DW});
${J.map((j) => `          let xn_${j} = i32(ix0 + ${j}u + P.PW) - dx;
          let ox_${j} = u32(xn_${j}) / ${SW};
          var gv_${j} = 0.0f;
          if (in_${j} && xn_${j} >= 0 && u32(xn_${j}) % ${SW} == 0u && ox_${j} < P.OW) { gv_${j} = dy_get(rowbase + ox_${j}); }`).join('\n')}
${I.flatMap((i) => J.map((j) => `          acc_${i}_${j} = fma(wv_${i}, gv_${j}, acc_${i}_${j});`)).join('\n')}
          r++;
        }
      }
    }
  }
  let obase = ((n * P.C + grp * P.CG + cl0) * P.D + iz) * P.H + iy;
${I.map((i) => `  if (cl0 + ${i}u < P.CG) {
${J.map((j) => `    if (in_${j}) { out_set((obase + ${i}u * P.D * P.H) * P.W + ix0 + ${j}u, acc_${i}_${j}); }`).join('\n')}
  }`).join('\n')}`,
  };
}
