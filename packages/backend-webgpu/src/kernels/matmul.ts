import type { KernelVariant } from '../runtime/adapter-profile.js';
import type { GpuTensor } from '../runtime/gpu-tensor.js';
import { matmulShape } from '../programs/matmul-shapes.js';
import { matmulRegisterProgram } from '../programs/matmul-register.wgsl.js';
import { matmulTiledProgram } from '../programs/matmul-tiled.wgsl.js';
import type { WebGpuSession } from '../webgpu-backend.js';

/**
 * Batched matmul with the adapter's variant. Tiles of 64×64 only pay when the product fills them, so
 * small products use the register variant everywhere.
 */
export function matmul(
  s: WebGpuSession, a: GpuTensor, b: GpuTensor, transposeA: boolean, transposeB: boolean, variant?: KernelVariant,
): GpuTensor {
  const shape = matmulShape(a, b, transposeA, transposeB);
  const out = s.runtime.allocate([shape.batch, shape.m, shape.n], 'float32');
  const chosen = variant ?? (shape.m >= 32 && shape.n >= 32 ? s.profile.variant : 'register');
  s.runtime.run(chosen === 'tiled'
    ? matmulTiledProgram(shape, a, b, out)
    : matmulRegisterProgram(shape, a, b, out));
  return out;
}
