import type { GpuTensor } from '../runtime/gpu-tensor.js';
import type { Program } from '../runtime/program.js';
import type { ConvGeometry } from './conv3d-geometry.js';
import { REGISTER_BLOCK, blockSize, convUniforms, range } from './conv3d-geometry.js';

/**
 * Implicit-GEMM convolution without workgroup memory: each invocation computes TM output channels × TN
 * output voxels along W (interleaved: invocation b takes voxels b, b + ⌈OW/TN⌉, …, so neighbouring
 * invocations read neighbouring addresses), loading TM weights and TN inputs per filter tap (TM + TN loads for
 * TM·TN multiply-adds) and walking the taps with nested loops, so no index is divided inside the loop.
 */
export function convForwardRegisterProgram(g: ConvGeometry, x: GpuTensor, w: GpuTensor, out: GpuTensor): Program {
  const tm = blockSize(g.kg, REGISTER_BLOCK.rows);
  const tn = blockSize(g.ow, REGISTER_BLOCK.cols);
  const mb = Math.ceil(g.kg / tm);
  const owb = Math.ceil(g.ow / tn);
  const threads = g.n * g.groups * mb * g.od * g.oh * owb;
  const I = range(tm);
  const J = range(tn);
  return {
    name: 'conv3d.register',
    inputs: [{ name: 'x', tensor: x }, { name: 'w', tensor: w }],
    outputs: [{ name: 'out', tensor: out }],
    uniforms: convUniforms(g, [{ name: 'MB', value: mb }, { name: 'OWB', value: owb }, { name: 'threads', value: threads }]),
    workgroupSize: 64,
    threads,
    body: `  let owb = gid % P.OWB;
  var t = gid / P.OWB;
  let oh = t % P.OH; t = t / P.OH;
  let od = t % P.OD; t = t / P.OD;
  let mb = t % P.MB; t = t / P.MB;
  let grp = t % P.G;
  let n = t / P.G;
  let kl0 = mb * ${tm}u;
  let z0 = i32(od * P.SD) - i32(P.PD);
  let y0 = i32(oh * P.SH) - i32(P.PH);
${J.map((j) => `  let ow_${j} = owb + ${j}u * P.OWB;\n  let x0_${j} = i32(ow_${j} * P.SW) - i32(P.PW);\n  let on_${j} = ow_${j} < P.OW;`).join('\n')}
  let R = P.CG * P.TAPS;
${I.map((i) => `  let wrow_${i} = (grp * P.KG + min(kl0 + ${i}u, P.KG - 1u)) * R;`).join('\n')}
${I.flatMap((i) => J.map((j) => `  var acc_${i}_${j} = 0.0f;`)).join('\n')}
  let HW = P.H * P.W;
  var xc = (n * P.C + grp * P.CG) * P.D * HW;
  var r = 0u;
  for (var c = 0u; c < P.CG; c++) {
    for (var tz = 0u; tz < P.KD; tz++) {
      let iz = z0 + i32(tz * P.DD);
      let vz = iz >= 0 && iz < i32(P.D);
      for (var ty = 0u; ty < P.KH; ty++) {
        let iy = y0 + i32(ty * P.DH);
        let vzy = vz && iy >= 0 && iy < i32(P.H);
        let rowbase = xc + u32(iz) * HW + u32(iy) * P.W;
        for (var tx = 0u; tx < P.KW; tx++) {
${I.map((i) => `          let wv_${i} = w_get(wrow_${i} + r);`).join('\n')}
          let dx = i32(tx * P.DW);
${J.map((j) => `          let ix_${j} = x0_${j} + dx;
          var xv_${j} = 0.0f;
          if (vzy && on_${j} && ix_${j} >= 0 && ix_${j} < i32(P.W)) { xv_${j} = x_get(rowbase + u32(ix_${j})); }`).join('\n')}
${I.flatMap((i) => J.map((j) => `          acc_${i}_${j} = fma(wv_${i}, xv_${j}, acc_${i}_${j});`)).join('\n')}
          r++;
        }
      }
    }
    xc += P.D * HW;
  }
  let obase = ((n * P.K + grp * P.KG + kl0) * P.OD + od) * P.OH + oh;
${I.map((i) => `  if (kl0 + ${i}u < P.KG) {
${J.map((j) => `    if (on_${j}) { out_set((obase + ${i}u * P.OD * P.OH) * P.OW + ow_${j}, acc_${i}_${j}); }`).join('\n')}
  }`).join('\n')}`,
  };
}
