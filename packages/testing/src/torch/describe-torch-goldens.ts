import type { Backend } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { itUnlessSkipped, useBackend } from '../conformance/suite-helpers.js';
import { validateSkips } from '../conformance/skip-list.js';
import { loadTorchFixtures } from './load-torch-fixtures.js';
import type { TorchGoldenCheck } from './torch-golden-checks.js';
import { checkTorchGolden, torchGoldenChecks } from './torch-golden-checks.js';

/** Every kernel-level golden check of the shipped fixtures. */
export function allTorchGoldenChecks(): TorchGoldenCheck[] {
  return loadTorchFixtures().flatMap(torchGoldenChecks);
}

/** Registers one test per golden check (inside the caller's describe block). */
export function registerTorchGoldenTests(
  get: () => Backend, skip: Readonly<Record<string, string>>, checks = allTorchGoldenChecks(),
): void {
  for (const check of checks) {
    itUnlessSkipped(skip, check.id, `should match PyTorch on ${check.id}`, async () => {
      expect(await checkTorchGolden(get(), check)).toEqual([]);
    });
  }
}

/**
 * Registers the kernel-level PyTorch golden tests: conv3d forward and both gradients, the transposed
 * conv (conv3dBackpropInput) forward and gradients, and pool3d max/avg forward and backprop, each
 * against fixtures made by tools/gen_fixtures.py. `describeBackendConformance` already includes these;
 * use this alone to run only the goldens.
 */
export function describeTorchGoldens(
  create: () => Promise<Backend>, options: { name?: string; skip?: Readonly<Record<string, string>> } = {},
): void {
  const name = options.name ?? 'backend';
  const skip = options.skip ?? {};
  const checks = allTorchGoldenChecks();
  describe(`${name} PyTorch goldens`, () => {
    const get = useBackend(name, create);
    it('should name only known goldens in skip, each with a reason', () => {
      expect(validateSkips(skip, checks.map((c) => c.id))).toEqual([]);
    });
    registerTorchGoldenTests(get, skip, checks);
  });
}
