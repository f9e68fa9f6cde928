import type { Backend, Conv3DAttrs, KernelHandle } from '@openmind/core';
import { Rng } from '@openmind/core';
import { ReferenceBackend } from '@openmind/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxRuntimeBackend } from '../onnxruntime-backend.js';

interface ConvCase { name: string; n: number; c: number; k: number; size: [number, number, number]; kernel: [number, number, number]; attrs: Conv3DAttrs }

const triple = (v: number): [number, number, number] => [v, v, v];
const CASES: ConvCase[] = [
  { name: 'stem C=1 (GEMM + col2im input-gradient)', n: 2, c: 1, k: 4, size: [6, 7, 5], kernel: triple(3), attrs: { stride: triple(1), padding: triple(1), dilation: triple(1), groups: 1 } },
  { name: 'stride 2, odd sizes (4 and 8 phases)', n: 1, c: 3, k: 5, size: [7, 6, 9], kernel: triple(3), attrs: { stride: [2, 1, 2], padding: triple(1), dilation: triple(1), groups: 1 } },
  { name: 'stride 3, kernel 2, no padding (empty phases)', n: 2, c: 2, k: 3, size: [8, 7, 9], kernel: triple(2), attrs: { stride: triple(3), padding: triple(0), dilation: triple(1), groups: 1 } },
  { name: 'stride 2 with dilation 2', n: 1, c: 2, k: 2, size: [9, 8, 7], kernel: triple(3), attrs: { stride: triple(2), padding: [2, 1, 0], dilation: triple(2), groups: 1 } },
  { name: 'groups 2, padding larger than the kernel reach', n: 1, c: 4, k: 6, size: [5, 5, 6], kernel: [1, 3, 2], attrs: { stride: triple(1), padding: [2, 1, 1], dilation: triple(1), groups: 2 } },
  { name: 'depthwise, stride 2', n: 2, c: 3, k: 3, size: [6, 6, 6], kernel: triple(3), attrs: { stride: triple(2), padding: triple(1), dilation: triple(1), groups: 3 } },
];

function outSize(i: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((i + 2 * p - d * (k - 1) - 1) / s) + 1;
}

async function grads(be: Backend, c: ConvCase, rngSeed: number): Promise<[Float32Array | Float64Array, Float32Array | Float64Array]> {
  const rng = new Rng(rngSeed);
  const xShape = [c.n, c.c, ...c.size];
  const wShape = [c.k, c.c / c.attrs.groups, ...c.kernel];
  const yShape = [c.n, c.k, ...c.size.map((d, a) => outSize(d, c.kernel[a]!, c.attrs.stride[a]!, c.attrs.padding[a]!, c.attrs.dilation[a]!))];
  const rand = (shape: number[]) => Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.normal());
  const x = be.upload(rand(xShape), xShape, 'float32');
  const w = be.upload(rand(wShape), wShape, 'float32');
  const dy = be.upload(rand(yShape), yShape, 'float32');
  const dx = be.conv3dBackpropInput(dy, w, xShape, c.attrs);
  const dw = be.conv3dBackpropFilter(x, dy, wShape, c.attrs);
  const out = [await be.read(dx), await be.read(dw)] as [Float32Array, Float32Array];
  ([x, w, dy, dx, dw] as KernelHandle[]).forEach((h) => be.dispose(h));
  return out;
}

describe('conv3d gradient kernels', () => {
  const ort = new OnnxRuntimeBackend({ intraOpThreads: 1 });
  const ref = new ReferenceBackend();
  beforeAll(async () => {
    await ort.init();
    await ref.init();
  });
  afterAll(async () => {
    await ort.close();
    await ref.close();
  });

  for (const c of CASES) {
    it(`should match the float64 reference on ${c.name} (tolerance 1e-4 relative + 1e-4 absolute)`, async () => {
      const [dxO, dwO] = await grads(ort, c, 11);
      const [dxR, dwR] = await grads(ref, c, 11);
      for (const [got, want] of [[dxO, dxR], [dwO, dwR]] as const) {
        expect(got.length).toBe(want.length);
        const bad = [...got].findIndex((v, i) => Math.abs(v - want[i]!) > 1e-4 * Math.abs(want[i]!) + 1e-4);
        expect(bad, `first mismatch at ${bad}: ${got[bad]} vs ${want[bad]}`).toBe(-1);
      }
    });
  }
});
