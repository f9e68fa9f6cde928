import type { Backend, KernelHandle } from '@openmind-ssl/core';
import { Rng } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../reference/reference-backend.js';
import { allTorchGoldenChecks, registerTorchGoldenTests } from '../torch/describe-torch-goldens.js';
import { KERNEL_CASES } from './cases/all-cases.js';
import { checkKernelCase } from './check-kernel-case.js';
import { KERNEL_NAMES, seedOf } from './kernel-case.js';
import { skipReason, validateSkips } from './skip-list.js';
import { itUnlessSkipped, useBackend } from './suite-helpers.js';
import { GRAD_CASES } from '../autograd/grad-cases.js';
import { gradcheck } from '../autograd/gradcheck.js';
import { checkOpGolden, opGoldenChecks } from '../torch/op-goldens.js';
import { runToyTraining } from '../training/toy-training.js';

/** Options of `describeBackendConformance`. */
export interface BackendConformanceOptions {
  /** Shown in the suite title. */
  readonly name: string;
  /** Makes a fresh, uninitialised backend; the suite calls `init()` once and `close()` at the end. */
  readonly create: () => Promise<Backend>;
  /** Test id or group (`'conv3d'`, `'conv3d/dilation2'`, `'torch'`) → why it is skipped. Unknown ids fail the run. */
  readonly skip?: Readonly<Record<string, string>>;
}

/** Ids of the suite's tests that are neither kernel cases nor PyTorch goldens. */
export const EXTRA_TEST_IDS = [
  'memory/baseline-after-dispose', 'memory/upload-accounting', 'readSync/matches-read',
  'training/loss-falls', 'training/memory-flat', 'training/matches-reference',
] as const;

/**
 * Registers the backend conformance suite with vitest: every kernel case against the float64
 * `ReferenceBackend` (tolerance |a − e| ≤ p·|e| + p with p = `capabilities.floatPrecision`; integer
 * results and data movement exact) including leaked handles per case, the kernel-level PyTorch goldens,
 * memory returning to baseline, and `readSync` agreeing with `read`. A backend package calls it from a
 * one-line test file.
 */
export function describeBackendConformance(options: BackendConformanceOptions): void {
  const skip = options.skip ?? {};
  const goldens = allTorchGoldenChecks();
  const opGoldens = opGoldenChecks();
  const gradIds = GRAD_CASES.map((c) => `grad/${c.id}`);
  const ids = [...KERNEL_CASES.map((c) => c.id), ...goldens.map((g) => g.id), ...opGoldens.map((g) => g.id), ...gradIds, ...EXTRA_TEST_IDS];
  describe(`${options.name} backend conformance`, () => {
    const oracle = new ReferenceBackend();
    const get = useBackend(options.name, options.create);

    it('should name only known tests in skip, each with a reason', () => {
      expect(validateSkips(skip, ids)).toEqual([]);
    });

    for (const kernel of KERNEL_NAMES) {
      describe(kernel, () => {
        for (const kcase of KERNEL_CASES.filter((c) => c.kernel === kernel)) {
          itUnlessSkipped(skip, kcase.id, `should match the reference on ${kcase.id}`, async () => {
            expect(await checkKernelCase(get(), oracle, kcase)).toEqual([]);
          });
        }
      });
    }

    describe('PyTorch goldens', () => registerTorchGoldenTests(get, skip, goldens));

    describe('PyTorch goldens through core ops and autograd', () => {
      for (const g of opGoldens) {
        itUnlessSkipped(skip, g.id, `should match PyTorch on ${g.fixture.name} (output and gradients)`, async () => {
          const b = get();
          expect(await checkOpGolden(b, g.fixture, Math.max(b.capabilities.floatPrecision, 1e-5))).toEqual([]);
        });
      }
    });

    describe('gradients (core autograd on this backend vs float64 finite differences)', () => {
      for (const c of GRAD_CASES) {
        itUnlessSkipped(skip, `grad/${c.id}`, `should match central differences for ${c.id}`, async () => {
          expect(await gradcheck(c, get(), oracle)).toEqual([]);
        });
      }
    });

    describe('training', () => {
      itUnlessSkipped(skip, 'training/loss-falls', 'should halve the toy conv net loss within 30 SGD steps', async () => {
        const { losses } = await runToyTraining(get(), 30);
        expect(losses.every(Number.isFinite)).toBe(true);
        expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
      });

      itUnlessSkipped(skip, 'training/memory-flat', 'should hold live tensors and backend memory flat over 100 training steps', async () => {
        const run = await runToyTraining(get(), 100);
        expect(run.liveTensors[99]).toBe(run.liveTensors[4]);
        expect(run.backendBytes[99]).toBe(run.backendBytes[4]);
      });

      itUnlessSkipped(skip, 'training/matches-reference', 'should give the reference backend\'s losses over 10 steps (relative 1e-3)', async () => {
        const ours = (await runToyTraining(get(), 10)).losses;
        const ref = (await runToyTraining(oracle, 10)).losses;
        ours.forEach((l, i) => expect(Math.abs(l - ref[i]!)).toBeLessThanOrEqual(1e-3 * Math.abs(ref[i]!)));
      });
    });

    describe('memory', () => {
      itUnlessSkipped(skip, 'memory/baseline-after-dispose', 'should return handles and bytes to baseline after every case is disposed', async () => {
        const b = get();
        const baseline = b.memory();
        const held = new Set<KernelHandle>();
        const outputs: KernelHandle[] = [];
        for (const kcase of KERNEL_CASES) {
          if (skipReason(skip, kcase.id) !== undefined) continue;
          const inst = kcase.build(new Rng(seedOf(kcase.id)));
          const inputs = inst.inputs.map((t) => b.upload(t.data, t.shape, t.dtype));
          inputs.forEach((h) => held.add(h));
          try {
            const out = inst.run(b, inputs);
            held.add(out);
            outputs.push(out);
          } catch {
            // A kernel this backend gets wrong or skips is reported by its own case; here only memory counts.
          }
        }
        expect(b.memory().handles).toBe(baseline.handles + held.size);
        await Promise.all(outputs.map((h) => b.read(h)));
        for (const h of held) b.dispose(h);
        expect(b.memory()).toEqual(baseline);
      });

      itUnlessSkipped(skip, 'memory/upload-accounting', 'should count an upload in handles and bytes until it is disposed', async () => {
        const b = get();
        const baseline = b.memory();
        const h = b.upload(new Float32Array(1024), [1024], 'float32');
        const during = b.memory();
        b.dispose(h);
        expect(during.handles).toBe(baseline.handles + 1);
        expect(during.bytes).toBeGreaterThanOrEqual(baseline.bytes + 4096);
        expect(b.memory()).toEqual(baseline);
      });
    });

    describe('readSync', () => {
      itUnlessSkipped(skip, 'readSync/matches-read', 'should exist when capabilities.syncRead and agree with read', async () => {
        const b = get();
        const x = b.upload(Float32Array.of(1.5, -2, 3.25), [3], 'float32');
        const y = b.unary('square', x);
        const viaRead = await b.read(y);
        const viaSync = b.capabilities.syncRead ? b.readSync?.(y) : viaRead;
        b.dispose(y);
        b.dispose(x);
        expect(viaSync).toEqual(viaRead);
      });
    });
  });
}
