import type { Backend, Conv3DAttrs, KernelHandle, Pool3DAttrs } from '@openmind-ssl/core';
import { Rng, sizeOf } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { KERNEL_CASES } from './conformance/cases/all-cases.js';
import { checkKernelCase } from './conformance/check-kernel-case.js';
import { describeBackendConformance } from './conformance/describe-backend-conformance.js';
import { KERNEL_NAMES } from './conformance/kernel-case.js';
import { ReferenceBackend } from './reference/reference-backend.js';
import { allTorchGoldenChecks } from './torch/describe-torch-goldens.js';
import { checkTorchGolden } from './torch/torch-golden-checks.js';

// The oracle against itself: every case must pass, which checks the cases as much as the backend.
describeBackendConformance({ name: 'reference', create: async () => new ReferenceBackend() });

/** The reference backend with some kernels replaced: the suite must notice. */
function broken(overrides: Partial<Backend>): Backend {
  return Object.assign(Object.create(new ReferenceBackend()) as ReferenceBackend, { name: 'broken' }, overrides);
}

async function failingIds(backend: Backend): Promise<string[]> {
  const oracle = new ReferenceBackend();
  const failing: string[] = [];
  for (const kcase of KERNEL_CASES) {
    if ((await checkKernelCase(backend, oracle, kcase)).length > 0) failing.push(kcase.id);
  }
  return failing;
}

describe('checkKernelCase', () => {
  describe('having a conv3d whose padding is off by one', () => {
    it('should fail every conv3d case and no other', async () => {
      const b = broken({});
      const base = Object.getPrototypeOf(b) as ReferenceBackend;
      b.conv3d = (x, w, a) => base.conv3d(x, w, { ...a, padding: a.padding.map((p) => p + 1) as [number, number, number] });
      const conv3dIds = KERNEL_CASES.filter((c) => c.kernel === 'conv3d').map((c) => c.id);
      expect(await failingIds(b)).toEqual(conv3dIds);
    });

    it('should fail the PyTorch conv3d forward goldens', async () => {
      const b = broken({});
      const base = Object.getPrototypeOf(b) as ReferenceBackend;
      b.conv3d = (x, w, a) => base.conv3d(x, w, { ...a, padding: a.padding.map((p) => p + 1) as [number, number, number] });
      const problems = await Promise.all(allTorchGoldenChecks().map((c) => checkTorchGolden(b, c)));
      const failing = allTorchGoldenChecks().filter((_, i) => problems[i]!.length > 0).map((c) => c.id);
      // conv3d forward, and the transposed conv's input gradient, which is a conv3d.
      expect(failing).toEqual(allTorchGoldenChecks().map((c) => c.id).filter((id) => /conv3d_.*\/y$|conv_transpose3d_.*\/grad-x$/.test(id)));
    });
  });

  describe('having an average pool that excludes padding from the divisor', () => {
    it('should fail the padded avg pool cases only, with the border positions named', async () => {
      const b = broken({});
      const base = Object.getPrototypeOf(b) as ReferenceBackend;
      // count_include_pad = false: divide each window by the taps inside the input.
      b.pool3d = (x, a) => {
        if (a.mode !== 'avg') return base.pool3d(x, a);
        const sum = base.pool3d(x, a);
        const ones = base.fill(x.shape, 'float32', 1);
        const counts = base.pool3d(ones, a);
        const out = base.binary('div', sum, counts);
        [sum, ones, counts].forEach((h) => base.dispose(h));
        return out;
      };
      expect(await failingIds(b)).toEqual(['pool3d/avg-k3s2-pad1', 'pool3d/avg-anisotropic']);
      const kcase = KERNEL_CASES.find((c) => c.id === 'pool3d/avg-k3s2-pad1')!;
      const [problem] = await checkKernelCase(b, new ReferenceBackend(), kcase);
      expect(problem).toMatch(/^pool3d\/avg-k3s2-pad1: \d+ of 144 values differ beyond .* at \[/);
    });
  });

  describe('having an argMax that picks the last maximum on ties', () => {
    it('should fail the ties case only', async () => {
      const b = broken({});
      const base = Object.getPrototypeOf(b) as ReferenceBackend;
      b.argMax = (x, axis) => {
        const data = base.readFloat64(x);
        const n = x.shape[axis]!;
        const inner = sizeOf(x.shape.slice(axis + 1));
        const outer = sizeOf(x.shape.slice(0, axis));
        const out = new Int32Array(outer * inner);
        for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
          let best = 0;
          for (let j = 1; j < n; j++) if (data[(o * n + j) * inner + i]! >= data[(o * n + best) * inner + i]!) best = j;
          out[o * inner + i] = best;
        }
        return base.upload(out, x.shape.map((d, k) => (k === axis ? 1 : d)), 'int32');
      };
      expect(await failingIds(b)).toEqual(['argMax/ties-first-wins']);
    });
  });

  describe('having a kernel that leaks a handle', () => {
    it('should report the leak even though the values are right', async () => {
      const b = broken({});
      const base = Object.getPrototypeOf(b) as ReferenceBackend;
      b.expand = (x, shape) => {
        base.fill([4], 'float32', 0);
        return base.expand(x, shape);
      };
      const kcase = KERNEL_CASES.find((c) => c.id === 'expand/column')!;
      expect(await checkKernelCase(b, new ReferenceBackend(), kcase)).toEqual([
        'expand/column: broken holds 1 more handle(s) after disposing every handle of the case',
      ]);
    });
  });

  describe('having a kernel that returns the wrong dtype', () => {
    it('should report the dtype', async () => {
      const b = broken({});
      const base = Object.getPrototypeOf(b) as ReferenceBackend;
      b.binary = (op, x, y) => {
        const out = base.binary(op, x, y);
        if (out.dtype !== 'uint8') return out;
        const asFloat = base.cast(out, 'float32');
        base.dispose(out);
        return asFloat;
      };
      const kcase = KERNEL_CASES.find((c) => c.id === 'binary/less/broadcast-ties')!;
      expect(await checkKernelCase(b, new ReferenceBackend(), kcase)).toEqual([
        'binary/less/broadcast-ties: dtype is float32, expected uint8',
      ]);
    });
  });
});

describe('KERNEL_CASES', () => {
  it('should have unique ids', () => {
    const ids = KERNEL_CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('should cover every kernel method of the Backend contract', () => {
    // Lifecycle, reads, and the reference's own float64 helpers; anything else must be a covered kernel.
    const notKernels = new Set([
      'constructor', 'init', 'close', 'read', 'readSync', 'dispose', 'memory', 'track', 'get', 'readFloat64', 'uploadFloat64',
    ]);
    const methods = Object.getOwnPropertyNames(ReferenceBackend.prototype).filter((m) => !notKernels.has(m));
    expect([...methods].sort()).toEqual([...KERNEL_NAMES].sort());
    for (const k of KERNEL_NAMES) expect(KERNEL_CASES.some((c) => c.kernel === k), k).toBe(true);
  });
});

/** Σ a·b over two float64 arrays. */
function dot(a: Float64Array, b: Float64Array): number {
  return a.reduce((acc, v, i) => acc + v * b[i]!, 0);
}

function upload(b: ReferenceBackend, rng: Rng, shape: readonly number[]): KernelHandle {
  return b.upload(rng.fillNormal(new Float32Array(sizeOf(shape))), shape, 'float32');
}

describe('ReferenceBackend', () => {
  describe('.conv3d', () => {
    it('should count the taps inside the input for an all-ones 3³ filter with padding 1', () => {
      const b = new ReferenceBackend();
      const x = b.fill([1, 1, 3, 3, 3], 'float32', 1);
      const w = b.fill([1, 1, 3, 3, 3], 'float32', 1);
      const attrs: Conv3DAttrs = { stride: [1, 1, 1], padding: [1, 1, 1], dilation: [1, 1, 1], groups: 1 };
      const y = b.readSync(b.conv3d(x, w, attrs));
      expect(y[0]).toBe(8); // corner: 2·2·2 taps
      expect(y[13]).toBe(27); // centre
      expect(y[4]).toBe(18); // face centre: 3·3·2
    });

    it('should have backprops that are exact adjoints of the forward (float64)', () => {
      const b = new ReferenceBackend();
      const rng = new Rng(7);
      const attrs: Conv3DAttrs = { stride: [2, 1, 2], padding: [1, 2, 0], dilation: [2, 1, 1], groups: 2 };
      const xShape = [2, 4, 7, 6, 5];
      const wShape = [4, 2, 2, 3, 3];
      const x = upload(b, rng, xShape);
      const w = upload(b, rng, wShape);
      const y = b.conv3d(x, w, attrs);
      const dy = upload(b, rng, y.shape);
      const ydy = dot(b.readFloat64(y), b.readFloat64(dy));
      const xdx = dot(b.readFloat64(x), b.readFloat64(b.conv3dBackpropInput(dy, w, xShape, attrs)));
      const wdw = dot(b.readFloat64(w), b.readFloat64(b.conv3dBackpropFilter(x, dy, wShape, attrs)));
      // <conv(x, w), dy> = <x, Jxᵀ dy> = <w, Jwᵀ dy>, to float64 rounding.
      expect(Math.abs(xdx - ydy)).toBeLessThan(1e-10 * Math.abs(ydy) + 1e-10);
      expect(Math.abs(wdw - ydy)).toBeLessThan(1e-10 * Math.abs(ydy) + 1e-10);
    });
  });

  describe('.pool3dBackprop', () => {
    const cases: [string, Pool3DAttrs][] = [
      ['max', { mode: 'max', kernelSize: [3, 3, 3], stride: [2, 2, 2], padding: [1, 1, 1] }],
      ['avg', { mode: 'avg', kernelSize: [3, 2, 3], stride: [2, 1, 2], padding: [1, 1, 0] }],
    ];
    for (const [mode, attrs] of cases) {
      it(`should match central finite differences in float64 (${mode})`, () => {
        const b = new ReferenceBackend();
        const rng = new Rng(11);
        const xShape = [1, 2, 4, 5, 4];
        const xData = rng.fillNormal(new Float32Array(sizeOf(xShape)));
        const x = b.upload(xData, xShape, 'float32');
        const yShape = b.pool3d(x, attrs).shape;
        const dy = upload(b, rng, yShape);
        const dyData = b.readFloat64(dy);
        const analytic = b.readFloat64(b.pool3dBackprop(dy, x, attrs));
        // f(x) = <pool(x), dy>; h small against the gaps between random values, so no max switches.
        const f = (values: Float64Array) => {
          const xv = b.uploadFloat64(values, xShape);
          const y = b.pool3d(xv, attrs);
          const value = dot(b.readFloat64(y), dyData);
          b.dispose(xv);
          b.dispose(y);
          return value;
        };
        const h = 1e-6;
        const base = Float64Array.from(xData);
        for (let i = 0; i < base.length; i++) {
          const plus = Float64Array.from(base);
          const minus = Float64Array.from(base);
          plus[i]! += h;
          minus[i]! -= h;
          const numeric = (f(plus) - f(minus)) / (2 * h);
          expect(Math.abs(numeric - analytic[i]!), `d/dx[${i}]`).toBeLessThan(1e-7);
        }
      });
    }
  });

  describe('.gather and .scatterAdd', () => {
    it('should be adjoint: <gather(x), u> = <x, scatterAdd(u)> with repeated indices', () => {
      const b = new ReferenceBackend();
      const rng = new Rng(3);
      const x = upload(b, rng, [5, 3, 2]);
      const idx = b.upload(Int32Array.of(4, 0, 4, 4, 2), [5], 'int32');
      const g = b.gather(x, idx, 0);
      const u = upload(b, rng, g.shape);
      const lhs = dot(b.readFloat64(g), b.readFloat64(u));
      const rhs = dot(b.readFloat64(x), b.readFloat64(b.scatterAdd(u, idx, 0, x.shape)));
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12);
    });
  });

  describe('.unary', () => {
    it('should round half to even', () => {
      const b = new ReferenceBackend();
      const x = b.upload(Float32Array.of(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.4, -2.6), [8], 'float32');
      expect([...b.readSync(b.unary('round', x))]).toEqual([-2, -2, -0, 0, 2, 2, 2, -3]);
    });
  });

  describe('.read', () => {
    it('should round float32 results on read but keep float64 inside', () => {
      const b = new ReferenceBackend();
      const third = b.binary('div', b.fill([1], 'float32', 1), b.fill([1], 'float32', 3));
      expect(b.readFloat64(third)[0]).toBe(1 / 3);
      expect(b.readSync(third)[0]).toBe(Math.fround(1 / 3));
    });
  });

  describe('.cast', () => {
    it('should truncate toward zero and wrap uint8 modulo 256', () => {
      const b = new ReferenceBackend();
      const x = b.upload(Float32Array.of(-2.7, -0.5, 0.5, 2.7, 300), [5], 'float32');
      expect([...b.readSync(b.cast(x, 'int32'))]).toEqual([-2, 0, 0, 2, 300]);
      expect([...b.readSync(b.cast(x, 'uint8'))]).toEqual([254, 0, 0, 2, 44]);
    });
  });

  describe('.dispose', () => {
    it('should count live handles and bytes, and refuse a disposed handle', () => {
      const b = new ReferenceBackend();
      const x = b.fill([2, 3], 'float32', 1);
      b.fill([5], 'uint8', 1);
      expect(b.memory()).toEqual({ handles: 2, bytes: 2 * 3 * 4 + 5 });
      b.dispose(x);
      expect(b.memory()).toEqual({ handles: 1, bytes: 5 });
      expect(() => b.dispose(x)).toThrow(/already disposed|used after dispose/);
      expect(() => b.unary('exp', x)).toThrow('used after dispose');
    });
  });
});
