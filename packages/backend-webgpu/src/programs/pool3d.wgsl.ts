import type { Pool3DAttrs } from '@openmind-ssl/core';
import { NEG_INF, f32, u } from './wgsl-util.js';

/** Input and output geometry of a pooling window, per spatial axis [d, h, w]. */
export interface PoolGeometry {
  readonly input: readonly [number, number, number];
  readonly output: readonly [number, number, number];
  readonly attrs: Pool3DAttrs;
}

/**
 * WGSL statements that decode `gid` into a window (plane `nc`, output coordinates) and loop over its taps
 * inside the input, running `visit` with `tap` (flat index of the tap in the input) in (d, h, w) order.
 */
export function windowLoop(g: PoolGeometry, visit: string): string {
  const [D, H, W] = g.input;
  const [OD, OH, OW] = g.output;
  const { kernelSize: k, stride: s, padding: p } = g.attrs;
  return `  let ow = gid % ${u(OW)};
  let oh = (gid / ${u(OW)}) % ${u(OH)};
  let od = (gid / ${u(OW * OH)}) % ${u(OD)};
  let nc = gid / ${u(OW * OH * OD)};
  for (var kd = 0i; kd < ${k[0]}i; kd++) {
    let iz = i32(od) * ${s[0]}i - ${p[0]}i + kd;
    if (iz < 0i || iz >= ${D}i) { continue; }
    for (var kh = 0i; kh < ${k[1]}i; kh++) {
      let iy = i32(oh) * ${s[1]}i - ${p[1]}i + kh;
      if (iy < 0i || iy >= ${H}i) { continue; }
      for (var kw = 0i; kw < ${k[2]}i; kw++) {
        let ix = i32(ow) * ${s[2]}i - ${p[2]}i + kw;
        if (ix < 0i || ix >= ${W}i) { continue; }
        let tap = ((nc * ${u(D)} + u32(iz)) * ${u(H)} + u32(iy)) * ${u(W)} + u32(ix);
${visit}
      }
    }
  }`;
}

/** Forward body: max keeps the first largest tap (−∞ for a window wholly in padding); avg divides by the full volume. */
export function poolForwardBody(g: PoolGeometry): string {
  const volume = g.attrs.kernelSize[0] * g.attrs.kernelSize[1] * g.attrs.kernelSize[2];
  if (g.attrs.mode === 'avg') {
    return `  var acc = 0.0f;\n${windowLoop(g, '        acc += x_get(tap);')}\n  out_set(gid, acc / ${f32(volume)});`;
  }
  return `  var best = ${NEG_INF};
  var found = false;
${windowLoop(g, '        let v = x_get(tap);\n        if (!found || v > best) { best = v; found = true; }')}
  out_set(gid, best);`;
}

/** The flat input index of each window's first maximum (−1 when the window holds no input). */
export function poolArgMaxBody(g: PoolGeometry): string {
  return `  var best = 0.0f;
  var at = -1i;
${windowLoop(g, '        let v = x_get(tap);\n        if (at < 0i || v > best) { best = v; at = i32(tap); }')}
  out_set(gid, at);`;
}

/**
 * Backward body, one invocation per input element: it visits the windows that contain it, in output
 * order, and adds dy (max: only where it was the window's chosen tap; avg: dy / volume).
 */
export function poolBackwardBody(g: PoolGeometry): string {
  const [D, H, W] = g.input;
  const [OD, OH, OW] = g.output;
  const { kernelSize: k, stride: s, padding: p, mode } = g.attrs;
  const volume = k[0] * k[1] * k[2];
  // Window o covers i when o·s − p ≤ i < o·s − p + k, i.e. o ∈ [ceil((i + p − k + 1) / s), floor((i + p) / s)];
  // the ceiling is floor((i + p − k + s + s·k) / s) − k, whose numerator is positive (WGSL truncates).
  const range = (i: string, a: number, O: number) => `  let ${i}_lo = max((i32(${i}) + ${p[a]! - k[a]! + s[a]! + s[a]! * k[a]!}i) / ${s[a]}i - ${k[a]}i, 0i);
  let ${i}_hi = min((i32(${i}) + ${p[a]}i) / ${s[a]}i, ${O - 1}i);`;
  const add = mode === 'max'
    ? `if (arg_get(o) == i32(gid)) { acc += dy_get(o); }`
    : `acc += dy_get(o);`;
  return `  let x_w = gid % ${u(W)};
  let x_h = (gid / ${u(W)}) % ${u(H)};
  let x_d = (gid / ${u(W * H)}) % ${u(D)};
  let nc = gid / ${u(W * H * D)};
${range('x_d', 0, OD)}
${range('x_h', 1, OH)}
${range('x_w', 2, OW)}
  var acc = 0.0f;
  for (var od = x_d_lo; od <= x_d_hi; od++) {
    for (var oh = x_h_lo; oh <= x_h_hi; oh++) {
      for (var ow = x_w_lo; ow <= x_w_hi; ow++) {
        let o = ((nc * ${u(OD)} + u32(od)) * ${u(OH)} + u32(oh)) * ${u(OW)} + u32(ow);
        ${add}
      }
    }
  }
  out_set(gid, ${mode === 'max' ? 'acc' : `acc / ${f32(volume)}`});`;
}
