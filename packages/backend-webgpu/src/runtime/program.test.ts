import { describe, expect, it } from 'vitest';
import { GpuStorage, GpuTensor } from './gpu-tensor.js';
import { assembleProgram, dispatchGrid } from './program.js';

/** A tensor whose storage is `segments` fake buffers of `per` elements (assembling never touches them). */
function fakeTensor(shape: number[], segments: number, per: number): GpuTensor {
  const buffers = Array.from({ length: segments }, () => ({}) as GPUBuffer);
  return new GpuTensor(shape, 'float32', new GpuStorage(buffers, shape.reduce((a, b) => a * b, 1), per));
}

describe('dispatchGrid', () => {
  it('should keep a small dispatch one-dimensional', () => {
    expect(dispatchGrid(100, 65535)).toEqual([100, 1, 1]);
  });

  it('should spread workgroups beyond the per-dimension limit over y, covering all of them', () => {
    const [x, y, z] = dispatchGrid(78125, 65535);
    expect([x, y, z]).toEqual([65535, 2, 1]);
    expect(x * y * z).toBeGreaterThanOrEqual(78125);
  });

  it('should use z when x·y is not enough', () => {
    const [x, y, z] = dispatchGrid(1000, 10);
    expect(x).toBe(10);
    expect(y).toBe(10);
    expect(z).toBe(10);
  });

  it('should throw when even a 3D grid is too small', () => {
    expect(() => dispatchGrid(1001, 10)).toThrow(/exceed/);
  });
});

describe('assembleProgram', () => {
  const program = (x: GpuTensor, out: GpuTensor) => ({
    name: 'copy', inputs: [{ name: 'x', tensor: x }], outputs: [{ name: 'out', tensor: out }],
    workgroupSize: 64, threads: out.size, body: '  out_set(gid, x_get(gid));',
  });

  it('should bind each segment of a split tensor and select it by element index', () => {
    const x = fakeTensor([600], 3, 256);
    const out = fakeTensor([600], 3, 256);
    const a = assembleProgram(program(x, out), 65535, 16);
    expect(a.buffers).toHaveLength(6);
    expect(a.access).toEqual(['read', 'read', 'read', 'write', 'write', 'write']);
    expect(a.code).toContain('let s = i / 256u;');
    expect(a.code).toMatch(/case 1u: \{ return x_1\[j\]; \}/);
    expect(a.code).toMatch(/default: \{ out_2\[j\] = v; \}/);
  });

  it('should refuse a program needing more storage bindings than the device has, naming the kernel', () => {
    const x = fakeTensor([2000], 8, 256);
    const out = fakeTensor([2000], 8, 256);
    expect(() => assembleProgram(program(x, out), 65535, 8)).toThrow(/webgpu copy: needs 16 storage bindings but the device allows 8/);
  });

  it('should put uniforms in a struct bound after the storage buffers', () => {
    const x = fakeTensor([4], 1, 256);
    const a = assembleProgram({ ...program(x, x), uniforms: [{ name: 'threads', value: 4 }, { name: 'off', value: -2, type: 'i32' }] }, 65535, 16);
    expect(a.access).toEqual(['read', 'write', 'uniform']);
    expect(a.code).toContain('if (gid >= P.threads)');
    expect(Array.from(a.uniformData!)).toEqual([4, 2 ** 32 - 2, 0, 0]);
  });
});
