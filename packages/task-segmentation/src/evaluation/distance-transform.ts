/**
 * Exact squared Euclidean distance transform with anisotropic spacing (Felzenszwalb & Huttenlocher's
 * separable lower envelope of parabolas, one pass per axis): for every voxel, the squared distance in mm²
 * to the nearest voxel where `feature` is 1; Infinity everywhere when there is no feature. Equals
 * `scipy.ndimage.distance_transform_edt(feature == 0, sampling=spacing) ** 2`.
 *
 * @param feature `[D, H, W]` row-major, 1 at feature voxels.
 * @see Felzenszwalb, Huttenlocher, "Distance Transforms of Sampled Functions", Theory of Computing 8 (2012).
 */
export function squaredDistanceTransform(feature: Uint8Array, shape: readonly [number, number, number], spacing: readonly [number, number, number]): Float64Array {
  const [D, H, W] = shape;
  const f = new Float64Array(D * H * W);
  for (let i = 0; i < f.length; i++) f[i] = feature[i] ? 0 : Infinity;
  const strides = [H * W, W, 1];
  const maxLen = Math.max(D, H, W);
  const line = new Float64Array(maxLen);
  const out = new Float64Array(maxLen);
  const v = new Int32Array(maxLen);
  const z = new Float64Array(maxLen + 1);
  for (let axis = 0; axis < 3; axis++) {
    const n = shape[axis]!;
    const stride = strides[axis]!;
    const sp = spacing[axis]!;
    // Every line along `axis`: its first voxel runs over the other two axes.
    const others = [0, 1, 2].filter((a) => a !== axis) as [number, number];
    for (let a = 0; a < shape[others[0]]!; a++) {
      for (let b = 0; b < shape[others[1]]!; b++) {
        const base = a * strides[others[0]]! + b * strides[others[1]]!;
        for (let i = 0; i < n; i++) line[i] = f[base + i * stride]!;
        envelope(line, n, sp, v, z, out);
        for (let i = 0; i < n; i++) f[base + i * stride] = out[i]!;
      }
    }
  }
  return f;
}

/** 1-D squared distance transform of sampled function `g` (length n, sample spacing `sp`) into `out`. */
function envelope(g: Float64Array, n: number, sp: number, v: Int32Array, z: Float64Array, out: Float64Array): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    if (g[q] === Infinity) continue;
    const xq = q * sp;
    while (k >= 0) {
      const xv = v[k]! * sp;
      const s = (g[q]! + xq * xq - (g[v[k]!]! + xv * xv)) / (2 * (xq - xv));
      if (s <= z[k]!) k--;
      else {
        k++;
        v[k] = q;
        z[k] = s;
        break;
      }
    }
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -Infinity;
    }
    z[k + 1] = Infinity;
  }
  if (k < 0) {
    out.fill(Infinity, 0, n);
    return;
  }
  let j = 0;
  for (let q = 0; q < n; q++) {
    const x = q * sp;
    while (z[j + 1]! < x) j++;
    const d = x - v[j]! * sp;
    out[q] = d * d + g[v[j]!]!;
  }
}
