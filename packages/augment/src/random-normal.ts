import type { Rng } from '@openmind-ssl/core';

/**
 * Standard normal variates by Marsaglia & Tsang's ziggurat (128 layers), drawn from a core `Rng`. About
 * 99% of draws cost one 32-bit number and a compare, which makes per-voxel noise for 64³–160³ volumes
 * affordable (Box–Muller needs a log and a cosine per value). The low 7 bits pick the layer and the other
 * 25 bits the position, so the two never share bits.
 */
const LAYERS = 128;
const R = 3.442619855899;
const AREA = 9.91256303526217e-3;
const SCALE = 2 ** 24;

const { kn, wn, fn } = buildTables();

function buildTables(): { kn: Float64Array; wn: Float64Array; fn: Float64Array } {
  const kn = new Float64Array(LAYERS);
  const wn = new Float64Array(LAYERS);
  const fn = new Float64Array(LAYERS);
  let dn = R;
  let tn = dn;
  const q = AREA / Math.exp(-0.5 * dn * dn);
  kn[0] = (dn / q) * SCALE;
  kn[1] = 0;
  wn[0] = q / SCALE;
  wn[LAYERS - 1] = dn / SCALE;
  fn[0] = 1;
  fn[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(AREA / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = (dn / tn) * SCALE;
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / SCALE;
  }
  return { kn, wn, fn };
}

/** One standard normal value. */
export function standardNormal(rng: Rng): number {
  const bits = rng.nextUint32() | 0;
  const layer = bits & (LAYERS - 1);
  const j = bits >> 7;
  if (Math.abs(j) < kn[layer]!) return j * wn[layer]!;
  return slowPath(rng, j, layer);
}

/** The wedges and the tail (about 1% of draws). */
function slowPath(rng: Rng, j: number, layer: number): number {
  for (;;) {
    const x = j * wn[layer]!;
    if (layer === 0) {
      let tx: number;
      let ty: number;
      do {
        tx = -Math.log(1 - rng.uniform()) / R;
        ty = -Math.log(1 - rng.uniform());
      } while (ty + ty < tx * tx);
      return j > 0 ? R + tx : -R - tx;
    }
    if (fn[layer]! + rng.uniform() * (fn[layer - 1]! - fn[layer]!) < Math.exp(-0.5 * x * x)) return x;
    const bits = rng.nextUint32() | 0;
    layer = bits & (LAYERS - 1);
    j = bits >> 7;
    if (Math.abs(j) < kn[layer]!) return j * wn[layer]!;
  }
}

/** out[i] = src[i] + sigma · N(0, 1) for i in [start, end). */
export function addScaledNormal(src: Float32Array, out: Float32Array, start: number, end: number, sigma: number, rng: Rng): void {
  for (let i = start; i < end; i++) {
    const bits = rng.nextUint32() | 0;
    const layer = bits & (LAYERS - 1);
    const j = bits >> 7;
    const z = Math.abs(j) < kn[layer]! ? j * wn[layer]! : slowPath(rng, j, layer);
    out[i] = src[i]! + sigma * z;
  }
}
