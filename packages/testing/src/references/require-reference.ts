import { OpenMindError } from '@openmind-ssl/core';

/** The environment variable under which a missing reference fails its tests instead of skipping them (.ci/run sets it). */
export const REQUIRE_REFERENCES_ENV = 'OPENMIND_REQUIRE_REFERENCES';

/** Whether missing references must fail (`OPENMIND_REQUIRE_REFERENCES=1`), read at each call. */
export function referencesRequired(): boolean {
  const v = process.env[REQUIRE_REFERENCES_ENV];
  return v !== undefined && v !== '' && v !== '0';
}

/**
 * Decides whether tests that need an external reference (PyTorch, nibabel, a WebGPU adapter, …) run.
 * `missing` is why the reference cannot be used here, or undefined when it can. Available: true. Missing:
 * on a contributor's machine, one line on stderr and false (the caller skips); under
 * `OPENMIND_REQUIRE_REFERENCES=1` (CI), an OpenMindError naming the reference, so that CI cannot pass by
 * skipping. Call it at collection time (module top level) so the failure lands on the test file.
 */
export function requireReference(name: string, missing: string | undefined): boolean {
  if (missing === undefined) return true;
  if (referencesRequired()) {
    throw new OpenMindError(`${name} is required (${REQUIRE_REFERENCES_ENV}=1) but missing: ${missing}. Install it (see .ci/install-system) or unset ${REQUIRE_REFERENCES_ENV} to skip these tests.`);
  }
  console.warn(`skipping tests that need ${name}: ${missing}`);
  return false;
}
