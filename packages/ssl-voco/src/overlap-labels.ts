import { OpenMindError } from '@openmind-ssl/core';

/**
 * VoCo's labels for given target boxes: the fraction of each target crop that each base crop of the grid
 * covers, |target ∩ base| / |crop| (nnssl VocoTransform). Base crops are ordered axis 0 outer, axis 2 inner,
 * as the data package's gridCropsSampler cuts them; a target inside the patch has labels that sum to 1.
 * @param targetStarts first voxel [x, y, z] of every target crop (all of size `cropSize`)
 * @returns [T, N] row-major, N = grid[0]·grid[1]·grid[2]
 * @throws OpenMindError when a target leaves the patch (crop × grid)
 */
export function overlapLabels(targetStarts: readonly (readonly number[])[], grid: readonly [number, number, number], cropSize: readonly [number, number, number]): Float32Array {
  const n = grid[0] * grid[1] * grid[2];
  const out = new Float32Array(targetStarts.length * n);
  const voxels = cropSize[0] * cropSize[1] * cropSize[2];
  targetStarts.forEach((start, t) => {
    if (start.some((s, d) => !(s >= 0 && s + cropSize[d]! <= grid[d]! * cropSize[d]!))) {
      throw new OpenMindError(`overlapLabels: target ${t} at [${start.join(', ')}] must lie inside the patch [${grid.map((g, d) => g * cropSize[d]!).join(', ')}].`);
    }
    let b = 0;
    for (let i = 0; i < grid[0]; i++) for (let j = 0; j < grid[1]; j++) for (let k = 0; k < grid[2]; k++, b++) {
      let v = 1;
      [i, j, k].forEach((g, d) => {
        const lo = Math.max(start[d]!, g * cropSize[d]!);
        const hi = Math.min(start[d]! + cropSize[d]!, (g + 1) * cropSize[d]!);
        v *= Math.max(0, hi - lo);
      });
      out[t * n + b] = v / voxels;
    }
  });
  return out;
}
