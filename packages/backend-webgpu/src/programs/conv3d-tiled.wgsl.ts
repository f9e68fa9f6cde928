import type { GpuTensor } from '../runtime/gpu-tensor.js';
import type { Program } from '../runtime/program.js';
import type { FilterSplit } from './conv3d-backprop-filter.wgsl.js';
import type { ConvGeometry } from './conv3d-geometry.js';
import { convUniforms } from './conv3d-geometry.js';
import { tiledGemmProgram } from './gemm-tiled.wgsl.js';

/** WGSL that splits a flat tap index r into (tz, ty, tx). */
const TAP = 'let tx = tap % P.KW; let ty = (tap / P.KW) % P.KH; let tz = tap / (P.KW * P.KH);';

/** Forward: per (n, group), C[KG × OD·OH·OW] = W[KG × CG·taps] · im2col(x), im2col computed on the fly. */
export function convForwardTiledProgram(g: ConvGeometry, x: GpuTensor, w: GpuTensor, out: GpuTensor): Program {
  const cols = g.od * g.oh * g.ow;
  return tiledGemmProgram({
    name: 'conv3d.tiled',
    inputs: [{ name: 'x', tensor: x }, { name: 'w', tensor: w }],
    outputs: [{ name: 'out', tensor: out }],
    uniforms: convUniforms(g, [{ name: 'GM', value: g.kg }, { name: 'GN', value: cols }, { name: 'GR', value: g.cg * g.taps }]),
    batches: g.n * g.groups, rows: g.kg, cols, aAlongR: true, bAlongR: false,
    functions: `fn load_a(bi: u32, m: u32, r: u32) -> f32 { return w_get(((bi % P.G) * P.KG + m) * P.GR + r); }
fn load_b(bi: u32, r: u32, p: u32) -> f32 {
  let c = r / P.TAPS; let tap = r % P.TAPS; ${TAP}
  let ow = p % P.OW; let oh = (p / P.OW) % P.OH; let od = p / (P.OW * P.OH);
  let iz = i32(od * P.SD + tz * P.DD) - i32(P.PD);
  let iy = i32(oh * P.SH + ty * P.DH) - i32(P.PH);
  let ix = i32(ow * P.SW + tx * P.DW) - i32(P.PW);
  if (iz < 0 || iz >= i32(P.D) || iy < 0 || iy >= i32(P.H) || ix < 0 || ix >= i32(P.W)) { return 0.0; }
  let ch = (bi / P.G) * P.C + (bi % P.G) * P.CG + c;
  return x_get(((ch * P.D + u32(iz)) * P.H + u32(iy)) * P.W + u32(ix));
}
fn store_c(bi: u32, m: u32, p: u32, v: f32) { out_set(((bi / P.G) * P.K + (bi % P.G) * P.KG + m) * P.GN + p, v); }`,
  });
}

/** Input gradient: per (n, group), dX[CG × D·H·W] = Σ over (k, tap) of W · dy at the matching position. */
export function convBackpropInputTiledProgram(g: ConvGeometry, dy: GpuTensor, w: GpuTensor, out: GpuTensor): Program {
  const cols = g.d * g.h * g.w;
  return tiledGemmProgram({
    name: 'conv3dBackpropInput.tiled',
    inputs: [{ name: 'dy', tensor: dy }, { name: 'w', tensor: w }],
    outputs: [{ name: 'out', tensor: out }],
    uniforms: convUniforms(g, [{ name: 'GM', value: g.cg }, { name: 'GN', value: cols }, { name: 'GR', value: g.kg * g.taps }]),
    batches: g.n * g.groups, rows: g.cg, cols, aAlongR: true, bAlongR: false,
    functions: `fn load_a(bi: u32, c: u32, r: u32) -> f32 {
  let kl = r / P.TAPS; let tap = r % P.TAPS;
  return w_get((((bi % P.G) * P.KG + kl) * P.CG + c) * P.TAPS + tap);
}
fn load_b(bi: u32, r: u32, p: u32) -> f32 {
  let kl = r / P.TAPS; let tap = r % P.TAPS; ${TAP}
  let ix = p % P.W; let iy = (p / P.W) % P.H; let iz = p / (P.W * P.H);
  let zn = i32(iz + P.PD) - i32(tz * P.DD);
  let yn = i32(iy + P.PH) - i32(ty * P.DH);
  let xn = i32(ix + P.PW) - i32(tx * P.DW);
  if (zn < 0 || yn < 0 || xn < 0) { return 0.0; }
  if (u32(zn) % P.SD != 0u || u32(yn) % P.SH != 0u || u32(xn) % P.SW != 0u) { return 0.0; }
  let oz = u32(zn) / P.SD; let oy = u32(yn) / P.SH; let ox = u32(xn) / P.SW;
  if (oz >= P.OD || oy >= P.OH || ox >= P.OW) { return 0.0; }
  let ch = (bi / P.G) * P.K + (bi % P.G) * P.KG + kl;
  return dy_get(((ch * P.OD + oz) * P.OH + oy) * P.OW + ox);
}
fn store_c(bi: u32, c: u32, p: u32, v: f32) { out_set(((bi / P.G) * P.C + (bi % P.G) * P.CG + c) * P.GN + p, v); }`,
  });
}

/** Filter gradient: per (group, split), dW[KG × CG·taps] = Σ over the split's voxels of dy · im2col(x). */
export function convBackpropFilterTiledProgram(
  g: ConvGeometry, x: GpuTensor, dy: GpuTensor, out: GpuTensor, split: FilterSplit,
): Program {
  const cols = g.cg * g.taps;
  return tiledGemmProgram({
    name: 'conv3dBackpropFilter.tiled',
    inputs: [{ name: 'x', tensor: x }, { name: 'dy', tensor: dy }],
    outputs: [{ name: 'out', tensor: out }],
    uniforms: convUniforms(g, [
      { name: 'GM', value: g.kg }, { name: 'GN', value: cols }, { name: 'GR', value: split.slabs * g.oh * g.ow },
      { name: 'SLABS', value: split.slabs },
    ]),
    batches: g.groups * split.splits, rows: g.kg, cols, aAlongR: true, bAlongR: true,
    functions: `fn slab(bi: u32, r: u32) -> u32 { return (bi / P.G) * P.SLABS + r / (P.OH * P.OW); }
fn load_a(bi: u32, k: u32, r: u32) -> f32 {
  let sl = slab(bi, r);
  if (sl >= P.N * P.OD) { return 0.0; }
  let n = sl / P.OD; let oz = sl % P.OD;
  let ch = n * P.K + (bi % P.G) * P.KG + k;
  return dy_get((ch * P.OD + oz) * P.OH * P.OW + r % (P.OH * P.OW));
}
fn load_b(bi: u32, r: u32, col: u32) -> f32 {
  let sl = slab(bi, r);
  if (sl >= P.N * P.OD) { return 0.0; }
  let n = sl / P.OD; let oz = sl % P.OD;
  let rest = r % (P.OH * P.OW); let oy = rest / P.OW; let ox = rest % P.OW;
  let c = col / P.TAPS; let tap = col % P.TAPS; ${TAP}
  let iz = i32(oz * P.SD + tz * P.DD) - i32(P.PD);
  let iy = i32(oy * P.SH + ty * P.DH) - i32(P.PH);
  let ix = i32(ox * P.SW + tx * P.DW) - i32(P.PW);
  if (iz < 0 || iz >= i32(P.D) || iy < 0 || iy >= i32(P.H) || ix < 0 || ix >= i32(P.W)) { return 0.0; }
  let ch = n * P.C + (bi % P.G) * P.CG + c;
  return x_get(((ch * P.D + u32(iz)) * P.H + u32(iy)) * P.W + u32(ix));
}
fn store_c(bi: u32, k: u32, col: u32, v: f32) {
  out_set((bi / P.G) * P.K * P.GN + ((bi % P.G) * P.KG + k) * P.GN + col, v);
}`,
  });
}
