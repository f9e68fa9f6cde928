import { OpenMindError } from '@openmind-ssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebGpuBackend } from '../create-webgpu-backend.js';
import { describeWebGpu } from '../testing/describe-webgpu.js';
import { sessionOf } from '../testing/session-of.js';
import type { WebGpuBackend } from '../webgpu-backend.js';
import type { GpuTensor } from './gpu-tensor.js';

describeWebGpu('GpuRuntime', () => {
  let backend: WebGpuBackend;
  beforeAll(async () => {
    backend = createWebGpuBackend();
    await backend.init();
  });
  afterAll(async () => backend.close());

  describe('.run', () => {
    it('should record many kernels into one command buffer and submit only when data is read', async () => {
      const batch = sessionOf(backend).runtime.batch;
      await backend.sync();
      const before = batch.submits;
      let x = backend.upload(Float32Array.of(1, 2, 3), [3], 'float32');
      for (let i = 0; i < 40; i++) {
        const y = backend.unary('neg', x);
        backend.dispose(x);
        x = y;
      }
      expect(batch.submits).toBe(before);
      expect(Array.from(await backend.read(x))).toEqual([1, 2, 3]);
      expect(batch.submits).toBe(before + 1);
      backend.dispose(x);
    });

    it('should spread more workgroups than one dispatch dimension allows over a 2D grid', async () => {
      // 5M elements / 64 per workgroup = 78125 workgroups > 65535 per dimension.
      const n = 5_000_000;
      const x = backend.fill([n], 'float32', 0);
      const y = backend.unary('exp', x);
      const s = backend.reduce('sum', y, [0]);
      expect(Array.from(await backend.read(s))).toEqual([n]);
      for (const h of [x, y, s]) backend.dispose(h);
    });
  });

  describe('.upload', () => {
    it('should not let an upload overwrite a disposed buffer that recorded kernels still read', async () => {
      const a = backend.upload(Float32Array.of(1, 2, 3, 4), [4], 'float32');
      const y = backend.unary('neg', a);
      backend.dispose(a);
      // Same size class as a: the pool must not hand a's buffer to this upload before the batch is submitted.
      const b = backend.upload(Float32Array.of(9, 9, 9, 9), [4], 'float32');
      expect(Array.from(await backend.read(y))).toEqual([-1, -2, -3, -4]);
      expect(Array.from(await backend.read(b))).toEqual([9, 9, 9, 9]);
      backend.dispose(y);
      backend.dispose(b);
    });
  });

  describe('.allocate', () => {
    it('should reuse released buffers of the same size class', async () => {
      await backend.sync();
      const first = backend.fill([3000], 'float32', 0);
      backend.dispose(backend.unary('neg', first));
      backend.dispose(first);
      await backend.sync();
      const before = backend.poolStats();
      for (let i = 0; i < 5; i++) {
        const x = backend.upload(new Float32Array(3000), [3000], 'float32');
        backend.dispose(backend.unary('abs', x));
        backend.dispose(x);
        await backend.sync();
      }
      const after = backend.poolStats();
      expect(after.created).toBe(before.created);
      expect(after.reused - before.reused).toBe(10);
    });
  });

  describe('.read', () => {
    it('should surface a WGSL compilation error as an OpenMindError naming the kernel and the line', async () => {
      const rt = sessionOf(backend).runtime;
      const out = rt.allocate([4], 'float32');
      rt.run({ name: 'broken-kernel', inputs: [], outputs: [{ name: 'out', tensor: out }], workgroupSize: 64, threads: 4, body: '  out_set(gid, undefined_symbol);' });
      const err = await backend.read(out).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenMindError);
      expect((err as Error).message).toMatch(/WGSL compilation of kernel "broken-kernel" failed: line \d+:\d+ .*undefined_symbol/);
      rt.dispose(out);
      // The error is reported once; the backend keeps working.
      const x = backend.upload(Float32Array.of(2), [1], 'float32');
      expect(Array.from(await backend.read(backend.unary('square', x)))).toEqual([4]);
    });
  });
});

describeWebGpu('GpuRuntime after device loss', () => {
  it('should reject reads and refuse kernels with an OpenMindError instead of hanging', async () => {
    const backend = createWebGpuBackend();
    await backend.init();
    const x = backend.upload(Float32Array.of(1, 2), [2], 'float32');
    const y = backend.unary('exp', x);
    sessionOf(backend).runtime.device.destroy();
    const err = await backend.read(y).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenMindError);
    expect((err as Error).message).toMatch(/device was lost/);
    expect(() => backend.unary('exp', x)).toThrow(/device was lost/);
    await backend.close();
  });
});

describeWebGpu('GpuRuntime with split bindings', () => {
  let backend: WebGpuBackend;
  beforeAll(async () => {
    // 4 KiB bindings: a 3000-element tensor takes 3 segments, as a 512 MiB one does under a 128 MiB limit.
    backend = createWebGpuBackend({ maxBindingBytes: 4096 });
    await backend.init();
  });
  afterAll(async () => backend.close());

  it('should store a tensor larger than one binding in segments and read it back whole', async () => {
    const data = Float32Array.from({ length: 3000 }, (_, i) => i * 0.5 - 7);
    const x = backend.upload(data, [3, 1000], 'float32');
    expect((x as GpuTensor).storage.buffers.length).toBe(3);
    expect(await backend.read(x)).toEqual(data);
    const t = backend.transpose(x, [1, 0]);
    const got = await backend.read(t);
    expect(got[1 * 3 + 2]).toBe(data[2 * 1000 + 1]);
    const s = backend.reduce('sum', x, [0, 1]);
    expect((await backend.read(s))[0]).toBeCloseTo(data.reduce((p, v) => p + v, 0), 1);
    for (const h of [x, t, s]) backend.dispose(h);
  });
});
