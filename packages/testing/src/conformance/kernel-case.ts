import type { Backend, DType, HostArray, KernelHandle, Rng, Shape } from '@openmind-ssl/core';

/** The kernels of the `Backend` contract, plus `upload`/`fill` (checked the same way). */
export const KERNEL_NAMES = [
  'upload', 'fill', 'unary', 'binary', 'where', 'cast', 'reduce', 'argMax', 'matmul',
  'conv3d', 'conv3dBackpropInput', 'conv3dBackpropFilter', 'pool3d', 'pool3dBackprop',
  'reshape', 'transpose', 'expand', 'slice', 'pad', 'concat', 'gather', 'scatterAdd',
] as const satisfies readonly (keyof Backend)[];
export type KernelName = (typeof KERNEL_NAMES)[number];

/** Host data of one input: uploaded to the backend under test and to the reference in the same form. */
export interface HostTensor {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly data: HostArray;
}

/** One drawn instance of a case: its inputs and the single kernel call to make on them. */
export interface CaseInstance {
  readonly inputs: readonly HostTensor[];
  /** Calls one kernel on the uploaded inputs; the returned handle is read, then disposed with the inputs. */
  run(backend: Backend, inputs: readonly KernelHandle[]): KernelHandle;
  /** Require bit-exact agreement even for float32 (data movement, round trips). */
  readonly exact?: boolean;
}

/**
 * A conformance case, as data. `build` draws inputs and attributes from the Rng it is given; the checker
 * seeds that Rng from the case id, so a case draws the same numbers on every backend and every run,
 * whatever order cases run in.
 */
export interface KernelCase {
  /** Unique id, `<kernel>/<variant>`: the test name and the key for `skip`. */
  readonly id: string;
  readonly kernel: KernelName;
  build(rng: Rng): CaseInstance;
}

/** Shorthand for defining a case. */
export function kernelCase(kernel: KernelName, variant: string, build: (rng: Rng) => CaseInstance): KernelCase {
  return { id: `${kernel}/${variant}`, kernel, build };
}

/** A 32-bit FNV-1a hash, to seed each case from its id. */
export function seedOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
