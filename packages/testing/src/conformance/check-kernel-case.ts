import type { Backend, DType, HostArray, KernelHandle, Shape } from '@openmind-ssl/core';
import { Rng, dtypeOf, shapesEqual } from '@openmind-ssl/core';
import type { CaseInstance, KernelCase } from './kernel-case.js';
import { seedOf } from './kernel-case.js';
import { compareValues, toleranceFor } from './tolerance.js';

interface Outcome {
  readonly shape?: Shape;
  readonly dtype?: DType;
  readonly data?: HostArray;
  readonly problems: string[];
}

/**
 * Uploads the inputs, runs the case, reads the result and disposes everything it made, noting a kernel
 * that throws and handles left behind (the live-handle count must return to where it was).
 */
async function runOn(backend: Backend, inst: CaseInstance): Promise<Outcome> {
  const before = backend.memory().handles;
  const made = new Set<KernelHandle>();
  const problems: string[] = [];
  let result: Omit<Outcome, 'problems'> = {};
  try {
    const inputs = inst.inputs.map((t) => {
      const h = backend.upload(t.data, t.shape, t.dtype);
      made.add(h);
      return h;
    });
    const out = inst.run(backend, inputs);
    made.add(out);
    result = { shape: [...out.shape], dtype: out.dtype, data: await backend.read(out) };
  } catch (err) {
    problems.push(`${backend.name} threw: ${err instanceof Error ? err.message : String(err)}`);
  }
  for (const h of made) backend.dispose(h);
  const leaked = backend.memory().handles - before;
  if (leaked !== 0) problems.push(`${backend.name} holds ${leaked} more handle(s) after disposing every handle of the case`);
  return { ...result, problems };
}

/**
 * Runs one conformance case on `backend` and on the reference `oracle` with identical inputs and
 * returns what differs: thrown errors, shape, dtype, values beyond the tolerance, leaked handles. An
 * empty list means the backend passes. Plain async function (no vitest), so tests can also assert that
 * a broken backend is caught.
 *
 * @param floatPrecision relative and absolute float32 tolerance, usually `backend.capabilities.floatPrecision`
 */
export async function checkKernelCase(
  backend: Backend, oracle: Backend, kcase: KernelCase, floatPrecision = backend.capabilities.floatPrecision,
): Promise<string[]> {
  const inst = kcase.build(new Rng(seedOf(kcase.id)));
  const expected = await runOn(oracle, inst);
  if (expected.problems.length > 0) {
    return expected.problems.map((p) => `${kcase.id}: the reference failed, so the case itself is wrong: ${p}`);
  }
  const actual = await runOn(backend, inst);
  const problems = [...actual.problems];
  if (actual.data && expected.data) {
    if (!shapesEqual(actual.shape!, expected.shape!)) {
      problems.push(`shape is [${actual.shape!.join(', ')}], expected [${expected.shape!.join(', ')}]`);
    } else if (actual.dtype !== expected.dtype) {
      problems.push(`dtype is ${actual.dtype}, expected ${expected.dtype}`);
    } else if (dtypeOf(actual.data) !== actual.dtype) {
      problems.push(`read returned a ${actual.data.constructor.name} for a ${actual.dtype} tensor`);
    } else if (actual.data.length !== expected.data.length) {
      problems.push(`read returned ${actual.data.length} values, expected ${expected.data.length}`);
    } else {
      const tol = toleranceFor(floatPrecision, expected.dtype!, inst.exact);
      problems.push(...compareValues(actual.data, expected.data, expected.shape!, tol));
    }
  }
  return problems.map((p) => `${kcase.id}: ${p}`);
}
