import {
  AdamW, clipGradNorm, type Optimizer, SGD, setBackend, type Tensor, tensor, tidy,
} from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../reference/reference-backend.js';
import { coreFixture, type FixtureArray, maxRelativeError } from './fixtures.js';

interface Trajectory {
  name: string;
  init: Record<'p1' | 'p2', FixtureArray>;
  constants: Record<'a1' | 'a2' | 'b1' | 'b2', FixtureArray>;
  clip: number | null;
  steps: { p1: number[]; p2: number[] }[];
}

setBackend(new ReferenceBackend());
const MAKE: Record<string, (ps: Tensor[]) => Optimizer> = {
  'sgd-nnssl': (ps) => new SGD(ps, { lr: 1e-2, momentum: 0.99, nesterov: true, weightDecay: 3e-5 }),
  'sgd-dampening': (ps) => new SGD(ps, { lr: 5e-2, momentum: 0.9, dampening: 0.1, weightDecay: 1e-3 }),
  'sgd-plain-clip': (ps) => new SGD(ps, { lr: 1e-1 }),
  'adamw-primus': (ps) => new AdamW(ps, { lr: 3e-4, betas: [0.9, 0.98], weightDecay: 5e-2 }),
  'adamw-default': (ps) => new AdamW(ps, { lr: 1e-2 }),
};

// Tolerance 1e-6 relative over 20 steps (the bar): the reference backend keeps float64 between
// kernels, the fixture is float64 PyTorch; only learning rates uploaded as float32 differ (≈1e-8).
describe('optimizers against PyTorch trajectories', () => {
  for (const t of coreFixture<Trajectory[]>('optimizers')) {
    it(`should follow torch's ${t.name} for 20 steps within 1e-6 relative`, async () => {
      const c = Object.fromEntries(Object.entries(t.constants).map(([k, v]) => [k, tensor(v.data, v.shape).keep()]));
      const p1 = tensor(t.init.p1.data, t.init.p1.shape).keep().requireGrad();
      const p2 = tensor(t.init.p2.data, t.init.p2.shape).keep().requireGrad();
      const opt = MAKE[t.name]!([p1, p2]);
      let worst = 0;
      for (const expected of t.steps) {
        tidy(() => {
          const term = (p: Tensor, a: Tensor, b: Tensor) => p.square().mul(a).mul(0.5).add(p.mul(b)).sum();
          const loss = term(p1, c.a1!, c.b1!).add(term(p2, c.a2!, c.b2!)).add(p1.sum().mul(p2.sum()).mul(0.1));
          loss.backward();
          if (t.clip !== null) clipGradNorm([p1, p2], t.clip)?.dispose();
          opt.step();
          opt.zeroGrad();
        });
        worst = Math.max(worst, maxRelativeError(await p1.data(), expected.p1), maxRelativeError(await p2.data(), expected.p2));
      }
      expect(worst).toBeLessThan(1e-6);
    });
  }

  it('should discard the whole update when applyIf is 0', async () => {
    const p = tensor([1, 2], [2]).keep().requireGrad();
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
    tidy(() => {
      p.mul(p).sum().backward();
      opt.step({ applyIf: tensor(Uint8Array.of(0), [], { dtype: 'uint8' }) });
    });
    expect([...(await p.data())]).toEqual([1, 2]);
    expect([...(await opt.stateDict().buffers.get('default.0.momentum_buffer')!.data())]).toEqual([0, 0]);
  });

  it('should leave parameters and both AdamW moments exactly as they were when a later step with NaN gradients is dropped', async () => {
    const p = tensor([1, -2, 3], [3]).keep().requireGrad();
    const opt = new AdamW([p], { lr: 0.1, weightDecay: 0.01 });
    const snapshot = async () => [
      [...(await p.data())],
      ...await Promise.all([...opt.stateDict().buffers.values()].map(async (b) => [...(await b.data())])),
    ];
    tidy(() => {
      p.square().sum().backward();
      opt.step({ applyIf: tensor(Uint8Array.of(1), [], { dtype: 'uint8' }) });
      opt.zeroGrad();
    });
    const kept = await snapshot();
    tidy(() => {
      p.mul(Number.NaN).sum().backward();
      opt.step({ applyIf: tensor(Uint8Array.of(0), [], { dtype: 'uint8' }) });
      opt.zeroGrad();
    });
    expect(await snapshot()).toEqual(kept);
    expect(kept.flat().every(Number.isFinite)).toBe(true);
  });

  describe('with chunkBytes', () => {
    /** A reference backend that notes, at each evaluation boundary, how many handles are alive. */
    class BoundaryBackend extends ReferenceBackend {
      readonly liveAtBoundary: number[] = [];
      evaluationBoundary(): void {
        this.liveAtBoundary.push(this.memory().handles);
      }
    }

    it('should cut the update into chunks with only parameters and state alive at each cut, and change no value', async () => {
      const run = async (chunkBytes?: number) => {
        const backend = new BoundaryBackend();
        setBackend(backend);
        const ps = [tensor([1, -2], [2]), tensor([0.5, 3, -1], [3]), tensor([2], [1])].map((p) => p.keep().requireGrad());
        const opt = new AdamW(ps, { lr: 0.1, weightDecay: 0.01 });
        for (let step = 0; step < 2; step++) {
          tidy(() => {
            ps.map((p) => p.square().sum()).reduce((a, b) => a.add(b)).backward();
            opt.step(chunkBytes === undefined ? {} : { chunkBytes });
            opt.zeroGrad();
          });
        }
        const values = await Promise.all(ps.map(async (p) => [...(await p.data())]));
        setBackend(new ReferenceBackend());
        return { values, live: backend.liveAtBoundary };
      };
      const plain = await run();
      const chunked = await run(8);
      expect(plain.live).toEqual([]);
      expect(chunked.values).toEqual(plain.values);
      // 8-byte chunks over parameters of 8, 12 and 4 bytes: before the update, after the first two
      // parameters, and after the rest — per step.
      expect(chunked.live).toHaveLength(8);
      // Second step (the state exists): the live count stays put across the cuts — only the learning-rate
      // scalar of the group's scope is added inside the group — so each parameter's temporaries are gone
      // before the next cut. (Leaked temporaries would grow it from cut to cut.)
      const [before, ...rest] = chunked.live.slice(4);
      expect(rest).toEqual([before! + 1, before! + 1, before]);
    });
  });
});

