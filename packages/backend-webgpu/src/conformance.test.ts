import { Rng } from '@openmind-ssl/core';
import { KERNEL_CASES, describeBackendConformance, seedOf } from '@openmind-ssl/testing';
import { it } from 'vitest';
import { createWebGpuBackend } from './create-webgpu-backend.js';
import { SKIP_LINE, webgpu, webgpuRuns } from './testing/describe-webgpu.js';

/** Ids of every kernel case except, per kernel, the one with the most input elements. */
function allButLargestCasePerKernel(): string[] {
  const largest = new Map<string, { id: string; size: number }>();
  for (const c of KERNEL_CASES) {
    const size = c.build(new Rng(seedOf(c.id))).inputs.reduce((n, t) => n + t.data.length, 0);
    const best = largest.get(c.kernel);
    if (!best || size > best.size) largest.set(c.kernel, { id: c.id, size });
  }
  const keep = new Set([...largest.values()].map((v) => v.id));
  return KERNEL_CASES.map((c) => c.id).filter((id) => !keep.has(id));
}

if (webgpuRuns) {
  describeBackendConformance({ name: 'webgpu', create: async () => createWebGpuBackend() });

  const covered = 'composite of the kernels checked case by case; run in full by the first suite';
  const sameKernels = 'does not depend on the binding size or the kernel variant; run by the first suite';
  // Storage bindings of 1 KiB, so that any tensor over 256 elements is split into segments: the path a
  // 512 MiB activation takes on a device whose bindings stop at 128 MiB. Kernels reach segments through
  // the same accessors whatever their geometry, so each kernel runs its largest case (every case would
  // compile each kernel again with segment switches: minutes on lavapipe).
  const splitSkip: Record<string, string> = { 'torch': covered, 'torch-op': covered, 'grad': covered, 'training': covered };
  for (const id of allButLargestCasePerKernel()) splitSkip[id] = 'the largest case of this kernel covers split bindings; run in full by the first suite';
  describeBackendConformance({
    name: 'webgpu (split bindings)',
    create: async () => createWebGpuBackend({ maxBindingBytes: 1024 }),
    skip: splitSkip,
  });

  // Matmul and convolutions with the variant this adapter does not choose by default (the tiled,
  // workgroup-memory kernels on lavapipe), so both variants are checked on every machine.
  const other = webgpu.variant === 'tiled' ? 'register' : 'tiled';
  const unrelated = [
    'upload', 'fill', 'unary', 'binary', 'where', 'cast', 'reduce', 'argMax', 'pool3d', 'pool3dBackprop', 'reshape',
    'transpose', 'expand', 'slice', 'pad', 'concat', 'gather', 'scatterAdd', 'memory', 'readSync', 'torch-op', 'grad', 'training',
  ];
  describeBackendConformance({
    name: `webgpu (${other} kernels)`,
    create: async () => createWebGpuBackend({ kernelVariant: other }),
    skip: Object.fromEntries(unrelated.map((k) => [k, k === 'torch-op' || k === 'grad' || k === 'training' ? covered : sameKernels])),
  });
} else {
  it.skip(SKIP_LINE, () => undefined);
}
