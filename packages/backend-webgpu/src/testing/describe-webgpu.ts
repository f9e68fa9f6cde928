import { requireReference } from '@openmind-ssl/testing';
import { describe } from 'vitest';
import { probeWebGpu } from '../probe-webgpu.js';

/** Probed once per test file: whether this machine has a WebGPU adapter, and which. */
export const webgpu = await probeWebGpu();

/**
 * Whether the GPU suites run: with an adapter, yes; without one, skipped with one line, or under
 * OPENMIND_REQUIRE_REFERENCES=1 (CI) the test file fails naming the missing adapter.
 */
export const webgpuRuns = requireReference('a WebGPU adapter', webgpu.available ? undefined : webgpu.reason);

/** The one line a skipped GPU suite shows: why, and how to enable it. */
export const SKIP_LINE = `WebGPU tests skipped: ${webgpu.reason}.`;

/**
 * `describe` for suites that need an adapter; without one the suite is skipped and its title carries the
 * reason (no adapter; install Mesa 25 lavapipe from bookworm-backports, see .ci/install-system).
 */
export function describeWebGpu(title: string, body: () => void): void {
  if (webgpuRuns) describe(title, body);
  else describe.skip(`${title} (${SKIP_LINE})`, body);
}
