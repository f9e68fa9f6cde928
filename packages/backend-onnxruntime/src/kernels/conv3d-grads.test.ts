import type { Backend, Conv3DAttrs, KernelHandle } from '@openmind-ssl/core';
import { Rng, windowOutputSize } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { LazyTensor } from '../graph/lazy-tensor.js';
import { OnnxRuntimeBackend } from '../onnxruntime-backend.js';
import { conv3dBackpropFilterKernel } from './conv3d-backprop-filter.js';

interface ConvCase { name: string; n: number; c: number; k: number; size: [number, number, number]; kernel: [number, number, number]; attrs: Conv3DAttrs }

const triple = (v: number): [number, number, number] => [v, v, v];
const CASES: ConvCase[] = [
  { name: 'stem C=1 (GEMM + col2im input-gradient; dy-major filter GEMM)', n: 2, c: 1, k: 12, size: [6, 7, 5], kernel: triple(3), attrs: { stride: triple(1), padding: triple(1), dilation: triple(1), groups: 1 } },
  { name: 'stride 2, odd sizes (4 and 8 phases)', n: 1, c: 3, k: 5, size: [7, 6, 9], kernel: triple(3), attrs: { stride: [2, 1, 2], padding: triple(1), dilation: triple(1), groups: 1 } },
  { name: 'stride 3, kernel 2, no padding (empty phases)', n: 2, c: 2, k: 3, size: [8, 7, 9], kernel: triple(2), attrs: { stride: triple(3), padding: triple(0), dilation: triple(1), groups: 1 } },
  { name: 'stride 2 with dilation 2', n: 1, c: 2, k: 2, size: [9, 8, 7], kernel: triple(3), attrs: { stride: triple(2), padding: [2, 1, 0], dilation: triple(2), groups: 1 } },
  { name: 'groups 2, padding larger than the kernel reach', n: 1, c: 4, k: 6, size: [5, 5, 6], kernel: [1, 3, 2], attrs: { stride: triple(1), padding: [2, 1, 1], dilation: triple(1), groups: 2 } },
  { name: 'depthwise, stride 2', n: 2, c: 3, k: 3, size: [6, 6, 6], kernel: triple(3), attrs: { stride: triple(2), padding: triple(1), dilation: triple(1), groups: 3 } },
  // Filter gradient with the W taps moved to dy (W stride 1, rows long enough): with D stride, W dilation.
  { name: 'W taps on dy, D stride 2, W dilation 2', n: 2, c: 3, k: 4, size: [6, 5, 40], kernel: triple(3), attrs: { stride: [2, 1, 1], padding: [1, 1, 2], dilation: [1, 1, 2], groups: 1 } },
  { name: 'W taps on dy, dy-major GEMM (3K > 9C)', n: 1, c: 2, k: 7, size: [3, 4, 32], kernel: triple(3), attrs: { stride: triple(1), padding: triple(1), dilation: triple(1), groups: 1 } },
  { name: 'W taps on dy, groups 2', n: 2, c: 4, k: 6, size: [4, 4, 32], kernel: triple(3), attrs: { stride: triple(1), padding: triple(1), dilation: triple(1), groups: 2 } },
  // Many channels on a small volume: the batch moves into the filter gradient's contraction.
  { name: 'batch folded into the GEMM (24 channels, 2×3×2 volume)', n: 2, c: 24, k: 20, size: [2, 3, 2], kernel: triple(3), attrs: { stride: triple(1), padding: triple(1), dilation: triple(1), groups: 1 } },
  { name: 'batch folded into the GEMM, groups 2', n: 2, c: 24, k: 20, size: [3, 2, 2], kernel: triple(3), attrs: { stride: triple(1), padding: triple(1), dilation: triple(1), groups: 2 } },
];

/** The filter gradient with slabs of at most `tileBytes`, so that a small case spans several tiles. */
type Recorder = { record(op: string, ins: KernelHandle[], build: (b: GraphBuilder, ins: LazyTensor[]) => LazyTensor): KernelHandle };
function tiledFilterGrad(be: OnnxRuntimeBackend, x: KernelHandle, dy: KernelHandle, wShape: number[], attrs: Conv3DAttrs, tileBytes: number): KernelHandle {
  return (be as unknown as Recorder).record('conv3dBackpropFilter', [x, dy], (b, [a, g]) => conv3dBackpropFilterKernel(b, a!, g!, wShape, attrs, tileBytes));
}

async function grads(be: Backend, c: ConvCase, rngSeed: number, tileBytes?: number): Promise<[Float32Array | Float64Array, Float32Array | Float64Array]> {
  const rng = new Rng(rngSeed);
  const xShape = [c.n, c.c, ...c.size];
  const wShape = [c.k, c.c / c.attrs.groups, ...c.kernel];
  const yShape = [c.n, c.k, ...c.size.map((d, a) => windowOutputSize(d, c.kernel[a]!, c.attrs.stride[a]!, c.attrs.padding[a]!, c.attrs.dilation[a]!))];
  const rand = (shape: number[]) => Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.normal());
  const x = be.upload(rand(xShape), xShape, 'float32');
  const w = be.upload(rand(wShape), wShape, 'float32');
  const dy = be.upload(rand(yShape), yShape, 'float32');
  const dx = be.conv3dBackpropInput(dy, w, xShape, c.attrs);
  const dw = tileBytes === undefined ? be.conv3dBackpropFilter(x, dy, wShape, c.attrs) : tiledFilterGrad(be as OnnxRuntimeBackend, x, dy, wShape, c.attrs, tileBytes);
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

  const expectClose = (got: Float32Array | Float64Array, want: Float32Array | Float64Array) => {
    expect(got.length).toBe(want.length);
    const bad = [...got].findIndex((v, i) => Math.abs(v - want[i]!) > 1e-4 * Math.abs(want[i]!) + 1e-4);
    expect(bad, `first mismatch at ${bad}: ${got[bad]} vs ${want[bad]}`).toBe(-1);
  };

  for (const c of CASES) {
    it(`should match the float64 reference on ${c.name} (tolerance 1e-4 relative + 1e-4 absolute)`, async () => {
      const [dxO, dwO] = await grads(ort, c, 11);
      const [dxR, dwR] = await grads(ref, c, 11);
      expectClose(dxO, dxR);
      expectClose(dwO, dwR);
    });
  }

  for (const c of CASES.filter((k) => k.name.startsWith('W taps') || k.name.startsWith('stride 2,'))) {
    it(`should give the same filter gradient when its slabs span several tiles (${c.name})`, async () => {
      const [, dwO] = await grads(ort, c, 12, 2048);
      const [, dwR] = await grads(ref, c, 12);
      expectClose(dwO, dwR);
    });
  }
});
