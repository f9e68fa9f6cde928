import {
  AUTO_CHUNK_MIN_PARAM_BYTES, AUTO_UPDATE_CHUNK_BYTES, AdamW, Conv3d, InstanceNorm3d, LeakyReLU, Module, Rng, SGD, type SSLMethod, type Tensor, mse, tensor, tidy, trainingStep, updateChunkBytesFor, withBackend,
} from '@openmind-ssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxRuntimeBackend } from './onnxruntime-backend.js';

class TinyNet extends Module {
  readonly conv1: Conv3d;
  readonly norm: InstanceNorm3d;
  readonly act: LeakyReLU;
  readonly conv2: Conv3d;
  constructor(rng: Rng) {
    super();
    this.conv1 = this.child('conv1', new Conv3d(1, 4, 3, { padding: 1, rng }));
    this.norm = this.child('norm', new InstanceNorm3d(4));
    this.act = this.child('act', new LeakyReLU());
    this.conv2 = this.child('conv2', new Conv3d(4, 1, 3, { stride: 1, padding: 1, rng }));
  }
  forward(x: Tensor): Tensor {
    return this.conv2.forward(this.act.forward(this.norm.forward(this.conv1.forward(x))));
  }
}

describe('OnnxRuntimeBackend', () => {
  describe('having a training loop', () => {
    const backend = new OnnxRuntimeBackend({ intraOpThreads: 1 });
    beforeAll(() => backend.init());
    afterAll(() => backend.close());

    it('should learn, compile the step once and run one graph per step with flat memory', async () => {
      const rng = new Rng(5);
      const shape = [2, 1, 8, 8, 8];
      const clean = Float32Array.from({ length: 1024 }, (_, i) => Math.sin(i * 0.37) + 0.5 * Math.cos(i * 0.11));
      const noisy = clean.map((v) => v + 0.3 * rng.normal());
      const { net, opt, x, y } = withBackend(backend, () => {
        const model = new TinyNet(rng);
        return { net: model, opt: new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }), x: tensor(noisy, shape).keep(), y: tensor(clean, shape).keep() };
      });
      const losses: number[] = [];
      const bytes: number[] = [];
      const sessions: number[] = [];
      const runs: number[] = [];
      for (let step = 0; step < 30; step++) {
        const loss = withBackend(backend, () => tidy(() => {
          const l = mse(net.forward(x), y);
          l.backward();
          opt.step();
          opt.zeroGrad();
          return l.detach();
        }));
        losses.push(await loss.item());
        loss.dispose();
        bytes.push(backend.memory().bytes);
        sessions.push(backend.stats.sessionsCreated);
        runs.push(backend.stats.runs);
      }
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
      // The step's structure repeats from the second step on (the first has no momentum state yet).
      expect(sessions[29]).toBe(sessions[4]);
      expect(runs[29]! - runs[4]!).toBe(25);
      expect(bytes[29]).toBe(bytes[4]);
      x.dispose();
      y.dispose();
      net.dispose();
    });
  });

  describe('having a training step with the update in chunks', () => {
    const backend = new OnnxRuntimeBackend({ intraOpThreads: 1 });
    beforeAll(() => backend.init());
    afterAll(() => backend.close());

    /** Five AdamW steps of TinyNet through trainingStep; the parameters after them and the runs per step. */
    async function train(updateChunkBytes?: number) {
      const rng = new Rng(5);
      const shape = [2, 1, 8, 8, 8] as const;
      const clean = Float32Array.from({ length: 1024 }, (_, i) => Math.sin(i * 0.37));
      const { net, x, y } = withBackend(backend, () => ({ net: new TinyNet(rng), x: tensor(clean.map((v) => v + 0.3 * rng.normal()), [...shape]).keep(), y: tensor(clean, [...shape]).keep() }));
      const params = net.parameters();
      const optimizer = withBackend(backend, () => new AdamW(params, { lr: 1e-2, weightDecay: 0.05 }));
      const method = { loss: () => mse(net.forward(x), y) } as unknown as SSLMethod;
      const runs: number[] = [];
      for (let step = 0; step < 5; step++) {
        const before = backend.stats.runs;
        await withBackend(backend, () => trainingStep(method, { optimizer, schedule: { lr: () => 1e-2 }, scheduleUnit: 'iteration', gradClip: 1 }, { image: clean, shape }, rng, params, updateChunkBytes === undefined ? {} : { updateChunkBytes }));
        runs.push(backend.stats.runs - before);
      }
      const values = await Promise.all(params.map((p) => p.data()));
      const sizes = params.map((p) => p.size);
      x.dispose();
      y.dispose();
      net.dispose();
      return { values, runs, sizes, lastOutputs: backend.stats.lastGraphOutputs };
    }

    it('should give the same parameters as one graph per step, in one evaluation for forward and backward and one per chunk', async () => {
      const whole = await train();
      const chunked = await train(512);
      expect(whole.runs).toEqual([1, 1, 1, 1, 1]);
      // Chunks close once a chunk reaches 512 bytes, and after the last parameter.
      let chunks = 0;
      let bytes = 0;
      let inChunk = 0;
      let lastChunk = 0;
      for (const n of chunked.sizes) {
        bytes += 4 * n;
        inChunk++;
        if (bytes >= 512) {
          chunks++;
          lastChunk = inChunk;
          bytes = 0;
          inChunk = 0;
        }
      }
      if (bytes > 0) {
        chunks++;
        lastChunk = inChunk;
      }
      expect(chunks).toBeGreaterThan(1);
      expect(chunked.runs).toEqual(Array(5).fill(1 + chunks));
      // The last chunk graph returns only its parameters and their two AdamW moments (no temporaries).
      expect(chunked.lastOutputs).toBe(3 * lastChunk);
      // Same arithmetic, cut into different graphs: equal to float32 rounding (1e-6 relative).
      for (let i = 0; i < whole.values.length; i++) {
        const a = whole.values[i]!;
        const b = chunked.values[i]!;
        for (let j = 0; j < a.length; j++) expect(Math.abs(a[j]! - b[j]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(a[j]!)));
      }
    });

    it("should chunk the update by default only where the parameters take ≥ 512 MB, and obey 'off' and a size", () => {
      // Parameters are counted, not allocated: a 560 MB model as two handles that report their sizes.
      const on = (size: number) => ({ size, engine: { backend } }) as unknown as Tensor;
      const big = [on(100e6), on(40e6)];
      const small = [on(100e6)];
      expect(updateChunkBytesFor('auto', big)).toBe(AUTO_UPDATE_CHUNK_BYTES);
      expect(updateChunkBytesFor('auto', [on(AUTO_CHUNK_MIN_PARAM_BYTES / 4 - 1)])).toBeUndefined();
      expect(updateChunkBytesFor('auto', small)).toBeUndefined();
      expect(updateChunkBytesFor('off', big)).toBeUndefined();
      expect(updateChunkBytesFor(1 << 20, small)).toBe(1 << 20);
      // An eager backend has no evaluation boundaries: nothing to chunk.
      const eager = { size: 200e6, engine: { backend: {} } } as unknown as Tensor;
      expect(updateChunkBytesFor('auto', [eager])).toBeUndefined();
    });
  });
});
