import type { Shape3 } from './volume.js';

/**
 * Fills holes in a binary volume as `scipy.ndimage.binary_fill_holes` with its default (6-connected)
 * structure: background voxels that cannot be reached from the volume border through 6-connected
 * background are set. A breadth-first flood from the border, O(voxels).
 *
 * @param mask `shape` values, 1 = foreground (not modified).
 * @returns the filled mask, 1 = foreground or hole.
 */
export function fillHoles(mask: Uint8Array, shape: Shape3): Uint8Array {
  const [n0, n1, n2] = shape;
  const plane = n1 * n2;
  const reached = new Uint8Array(mask.length);
  const queue = new Int32Array(mask.length);
  let head = 0;
  let tail = 0;
  const push = (i: number) => {
    if (mask[i] === 0 && reached[i] === 0) {
      reached[i] = 1;
      queue[tail++] = i;
    }
  };
  for (let i = 0; i < n0; i++) {
    for (let j = 0; j < n1; j++) {
      for (let k = 0; k < n2; k++) {
        if (i === 0 || j === 0 || k === 0 || i === n0 - 1 || j === n1 - 1 || k === n2 - 1) push(i * plane + j * n2 + k);
      }
    }
  }
  while (head < tail) {
    const v = queue[head++]!;
    const i = Math.floor(v / plane);
    const j = Math.floor((v - i * plane) / n2);
    const k = v - i * plane - j * n2;
    if (i > 0) push(v - plane);
    if (i < n0 - 1) push(v + plane);
    if (j > 0) push(v - n2);
    if (j < n1 - 1) push(v + n2);
    if (k > 0) push(v - 1);
    if (k < n2 - 1) push(v + 1);
  }
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < out.length; i++) out[i] = reached[i] ? 0 : 1;
  return out;
}
