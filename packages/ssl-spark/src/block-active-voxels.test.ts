import { setBackend } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { BlockActiveVoxels } from './block-active-voxels.js';

setBackend(new ReferenceBackend());

// One sample, a [2, 2, 2] grid with cells 1 (z0 y0 x1) and 6 (z1 y1 x0) hidden.
const cells = { grid: [2, 2, 2] as const, n: 1, visible: Uint8Array.from([1, 0, 1, 1, 1, 1, 0, 1]) };

describe('BlockActiveVoxels', () => {
  it('should repeat each cell size / grid times per axis (nnssl _get_active_ex_or_ii)', () => {
    const v = new BlockActiveVoxels(cells).voxels([4, 4, 4]);
    const at = (z: number, y: number, x: number) => v[(z * 4 + y) * 4 + x];
    expect([at(0, 0, 2), at(1, 1, 3), at(2, 2, 0), at(3, 3, 1)]).toEqual([0, 0, 0, 0]);
    expect([at(0, 0, 0), at(1, 1, 1), at(3, 3, 3), at(2, 0, 2)]).toEqual([1, 1, 1, 1]);
    expect(v.reduce((a, b) => a + b, 0)).toBe(48);
  });

  it('should be dense below the grid on every axis and at the sizes it is told (the bottleneck)', async () => {
    const a = new BlockActiveVoxels(cells, [[4, 4, 4]]);
    expect(a.at([1, 1, 1])).toBeUndefined();
    expect(a.at([4, 4, 4])).toBeUndefined();
    const m = a.at([8, 8, 8])!;
    expect(m.shape).toEqual([1, 1, 8, 8, 8]);
    expect(Array.from(await m.floats())).toEqual(Array.from(a.voxels([8, 8, 8])));
    expect(a.at([8, 8, 8])).toBe(m);
  });

  it('should refuse a map finer than the grid on one axis and coarser on another', () => {
    expect(() => new BlockActiveVoxels(cells).at([4, 1, 4])).toThrow(/finer than the mask grid \[2, 2, 2\] on some axes/);
  });

  it("should give the cell mask itself at the grid's own size", () => {
    expect(new BlockActiveVoxels(cells).voxels([2, 2, 2])).toEqual(Float32Array.from(cells.visible));
  });
});
