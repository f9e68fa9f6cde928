import type { Conv3DAttrs, KernelHandle, Pool3DAttrs } from '@openmind-ssl/core';
import { OpenMindError } from '@openmind-ssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TfjsBackend, createTfjsBackend } from './tfjs-backend.js';
import { TFJS_VARIANTS } from './tfjs-variant.js';

// Behaviour specific to the tfjs implementation (layout glue, uint8 storage, fallbacks where tfjs
// differs from PyTorch). Kernel-by-kernel agreement with the float64 oracle is conformance.test.ts.

const attrs = (a: Partial<Conv3DAttrs>): Conv3DAttrs => ({
  stride: [1, 1, 1], padding: [0, 0, 0], dilation: [1, 1, 1], groups: 1, ...a,
});

async function nativeInstalled(): Promise<boolean> {
  const spec = '@tensorflow/tfjs-node';
  return import(/* @vite-ignore */ spec).then(() => true, () => false);
}

describe('TfjsBackend', () => {
  let b: TfjsBackend;
  const f32 = (values: number[], shape: number[]) => b.upload(Float32Array.from(values), shape, 'float32');
  const read = (h: KernelHandle) => Array.from(b.readSync(h));

  beforeAll(async () => {
    b = createTfjsBackend();
    await b.init();
  });
  afterAll(async () => {
    await b.close();
  });

  describe('.init', () => {
    it('should pick the first variant that starts and say why it passed over the earlier ones', () => {
      expect(b.name).toBe('tfjs');
      const index = TFJS_VARIANTS.indexOf(b.variant);
      expect(index).toBeGreaterThanOrEqual(0);
      expect(b.skippedVariants.map((s) => s.variant)).toEqual(TFJS_VARIANTS.slice(0, index));
      for (const s of b.skippedVariants) expect(s.reason).not.toBe('');
    });

    it('should throw an OpenMindError naming the package when an explicit variant is missing', async (ctx) => {
      if (await nativeInstalled()) ctx.skip();
      const err = await createTfjsBackend({ variant: 'tfjs-node' }).init().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenMindError);
      expect((err as Error).message).toContain('@tensorflow/tfjs-node');
    });

    it('should refuse the variant getter before init', () => {
      expect(() => new TfjsBackend().variant).toThrow(/after init/);
    });
  });

  describe('having uint8 tensors', () => {
    it('should report uint8 and read back a Uint8Array', () => {
      const h = b.upload(Uint8Array.of(0, 7, 255), [3], 'uint8');
      expect(h.dtype).toBe('uint8');
      const out = b.readSync(h);
      expect(out).toBeInstanceOf(Uint8Array);
      expect(Array.from(out)).toEqual([0, 7, 255]);
    });

    it('should return uint8 0/1 from comparisons', () => {
      const c = b.binary('greater', f32([1, 2, 3], [3]), f32([2], [1]));
      expect(c.dtype).toBe('uint8');
      expect(read(c)).toEqual([0, 0, 1]);
    });

    it('should wrap uint8 arithmetic and casts modulo 256', () => {
      const u = b.upload(Uint8Array.of(200, 100), [2], 'uint8');
      expect(read(b.binary('add', u, u))).toEqual([144, 200]);
      expect(read(b.cast(f32([-1.5, 300.7], [2]), 'uint8'))).toEqual([255, 44]);
    });

    it('should divide int32 truncating toward zero', () => {
      const i = (v: number[]) => b.upload(Int32Array.from(v), [v.length], 'int32');
      expect(read(b.binary('div', i([7, -7, 7, -7]), i([2, 2, -2, -2])))).toEqual([3, -3, -3, 3]);
    });
  });

  describe('handles', () => {
    it('should give a no-op cast its own handle', () => {
      const x = f32([1, 2], [2]);
      const y = b.cast(x, 'float32');
      b.dispose(x);
      expect(read(y)).toEqual([1, 2]);
    });

    it('should copy on upload and on read', () => {
      const data = Float32Array.of(1, 2);
      const x = b.upload(data, [2], 'float32');
      data[0] = 9;
      const first = b.readSync(x);
      first[1] = 9;
      expect(read(x)).toEqual([1, 2]);
    });

    it('should throw an OpenMindError when a disposed handle is used', () => {
      const x = f32([1], [1]);
      b.dispose(x);
      expect(() => b.unary('neg', x)).toThrow(OpenMindError);
    });
  });

  describe('.conv3d', () => {
    // x = 0..6 along W; taps [1, 10] three apart, stride 2: y[o] = x[2o] + 10·x[2o + 3].
    const x = () => f32([0, 1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 7]);
    const w = () => f32([1, 10], [1, 1, 1, 1, 2]);
    const dilatedStrided = attrs({ stride: [1, 1, 2], dilation: [1, 1, 3] });

    it('should dilate and stride together (tfjs conv3d refuses both)', () => {
      expect(read(b.conv3d(x(), w(), dilatedStrided))).toEqual([30, 52]);
    });

    it('should dilate in both gradients (tfjs backprop kernels ignore dilation)', () => {
      const dy = f32([1, 1], [1, 1, 1, 1, 2]);
      expect(read(b.conv3dBackpropInput(dy, w(), [1, 1, 1, 1, 7], dilatedStrided))).toEqual([1, 0, 1, 10, 0, 10, 0]);
      expect(read(b.conv3dBackpropFilter(x(), dy, [1, 1, 1, 1, 2], dilatedStrided))).toEqual([2, 8]);
    });

    it('should convolve each group with its own filters', () => {
      // Channel 0 holds ones, channel 1 twos; filter k sums its group's channel times (k + 1).
      const xs = f32([1, 1, 2, 2], [1, 2, 1, 1, 2]);
      const ws = f32([1, 2, 3, 4], [4, 1, 1, 1, 1]);
      expect(read(b.conv3d(xs, ws, attrs({ groups: 2 })))).toEqual([1, 1, 2, 2, 6, 6, 8, 8]);
    });

    it('should give the rows of xShape that no window reached a zero gradient (output padding)', () => {
      const dy = f32([1, 2], [1, 1, 1, 1, 2]);
      const ones = f32([1, 1, 1], [1, 1, 1, 1, 3]);
      const a = attrs({ stride: [1, 1, 2], padding: [0, 0, 1] });
      expect(read(b.conv3dBackpropInput(dy, ones, [1, 1, 1, 1, 3], a))).toEqual([1, 3, 2]);
      expect(read(b.conv3dBackpropInput(dy, ones, [1, 1, 1, 1, 4], a))).toEqual([1, 3, 2, 2]);
    });
  });

  describe('.pool3d', () => {
    it('should divide padded average windows by the full window volume', () => {
      const avg: Pool3DAttrs = { mode: 'avg', kernelSize: [3, 3, 3], stride: [1, 1, 1], padding: [1, 1, 1] };
      const y = b.readSync(b.pool3d(f32(new Array(8).fill(1), [1, 1, 2, 2, 2]), avg));
      for (const v of y) expect(v).toBeCloseTo(8 / 27, 6);
    });

    it('should send the max-pool gradient to the first of tied maxima', () => {
      const max: Pool3DAttrs = { mode: 'max', kernelSize: [1, 1, 2], stride: [1, 1, 2], padding: [0, 0, 0] };
      const dx = b.pool3dBackprop(f32([3, 4], [1, 1, 1, 1, 2]), f32([5, 5, 5, 5], [1, 1, 1, 1, 4]), max);
      expect(read(dx)).toEqual([3, 0, 4, 0]);
    });
  });

  describe('.scatterAdd', () => {
    it('should accumulate repeated indices along a middle axis', () => {
      const u = f32([1, 2, 3, 10, 20, 30], [2, 3, 1]);
      const idx = b.upload(Int32Array.of(1, 0, 1), [3], 'int32');
      expect(read(b.scatterAdd(u, idx, 1, [2, 2, 1]))).toEqual([2, 4, 20, 40]);
    });

    it('should drop updates whose index is out of range instead of writing into a neighbouring row', () => {
      const u = f32([1, 2, 3, 10, 20, 30], [2, 3]);
      const idx = b.upload(Int32Array.of(2, -1, 0), [3], 'int32');
      expect(read(b.scatterAdd(u, idx, 1, [2, 2]))).toEqual([3, 0, 30, 0]);
    });
  });

  describe('.memory', () => {
    it('should return handles and tfjs bytes to baseline once conv and pool results are disposed', () => {
      const baseline = b.memory();
      const x = f32(Array.from({ length: 2 * 3 * 5 * 5 * 5 }, (_, i) => Math.sin(i)), [2, 3, 5, 5, 5]);
      const w = f32(Array.from({ length: 4 * 3 * 27 }, (_, i) => Math.cos(i)), [4, 3, 3, 3, 3]);
      const a = attrs({ stride: [2, 2, 2], padding: [1, 1, 1] });
      const y = b.conv3d(x, w, a);
      const dx = b.conv3dBackpropInput(y, w, x.shape, a);
      const dw = b.conv3dBackpropFilter(x, y, w.shape, a);
      const p = b.pool3d(x, { mode: 'max', kernelSize: [3, 3, 3], stride: [2, 2, 2], padding: [1, 1, 1] });
      const dp = b.pool3dBackprop(p, x, { mode: 'max', kernelSize: [3, 3, 3], stride: [2, 2, 2], padding: [1, 1, 1] });
      const held = [x, w, y, dx, dw, p, dp];
      expect(b.memory().handles).toBe(baseline.handles + held.length);
      for (const h of held) b.dispose(h);
      expect(b.memory()).toEqual(baseline);
    });
  });
});
