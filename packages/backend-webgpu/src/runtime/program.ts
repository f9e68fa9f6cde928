import { OpenMindError } from '@openmind-ssl/core';
import type { GpuTensor } from './gpu-tensor.js';
import { wgslType } from './gpu-tensor.js';

/** A tensor bound to a program under a WGSL name. */
export interface ProgramBinding {
  readonly name: string;
  readonly tensor: GpuTensor;
  /** Declare the storage as `array<vec4<T>>` (and add `<name>_get4`/`<name>_set4`). */
  readonly vec4?: boolean;
}

/**
 * A compute kernel before binding: its WGSL body and what it reads and writes. Inputs are read through
 * `<name>_get(i)`, outputs written through `<name>_set(i, v)`, both by linear element index, so that a
 * kernel never knows whether a tensor is split over several bindings.
 */
export interface Program {
  /** Kernel name used in error messages. */
  readonly name: string;
  readonly inputs: readonly ProgramBinding[];
  readonly outputs: readonly ProgramBinding[];
  /** WGSL declared before `main` (helper functions, workgroup arrays). */
  readonly helpers?: string;
  /**
   * Run-time parameters, read in WGSL as `P.<name>`. Values that change with the shape go here rather
   * than into the source, so one compiled pipeline serves every shape (compiling costs about a second
   * of CPU per kernel on lavapipe).
   */
  readonly uniforms?: readonly Uniform[];
  readonly workgroupSize: number;
  /**
   * Invocations wanted: the body sees `gid` (linear invocation index) and runs only for gid < threads
   * (baked into the source, or read from a uniform named `threads` when the program declares one).
   * Alternatively `workgroups`: the body sees `wg` (linear workgroup index) and `lid`, and checks bounds
   * itself (needed where barriers require uniform control flow).
   */
  readonly threads?: number;
  readonly workgroups?: number;
  readonly body: string;
}

/** One named run-time parameter. */
export interface Uniform {
  readonly name: string;
  readonly value: number;
  /** Default u32; i32 for values that may be negative. */
  readonly type?: 'u32' | 'i32';
}

/** How each binding is accessed, in binding order. */
export type BindingAccess = 'read' | 'write' | 'uniform';

/** A program turned into source plus everything needed to bind and dispatch it. */
export interface AssembledProgram {
  readonly code: string;
  readonly access: readonly BindingAccess[];
  readonly buffers: readonly GPUBuffer[];
  readonly grid: readonly [number, number, number];
  /** Contents of the uniform buffer (bound last), when the program has uniforms. */
  readonly uniformData: Uint32Array | null;
}

/** Spreads `workgroups` over up to three dimensions of at most `maxPerDim` each. */
export function dispatchGrid(workgroups: number, maxPerDim: number): [number, number, number] {
  const x = Math.min(workgroups, maxPerDim);
  const rest = Math.ceil(workgroups / x);
  const y = Math.min(rest, maxPerDim);
  const z = Math.ceil(rest / y);
  if (z > maxPerDim) {
    throw new OpenMindError(`webgpu: ${workgroups} workgroups exceed the device's ${maxPerDim}^3 dispatch grid.`);
  }
  return [x, y, z];
}

/** Generates bindings, accessors and the entry point of a program. */
export function assembleProgram(p: Program, maxPerDim: number, maxStorageBuffers: number): AssembledProgram {
  const decls: string[] = [];
  const access: BindingAccess[] = [];
  const buffers: GPUBuffer[] = [];
  const bind = (b: ProgramBinding, write: boolean) => {
    const t = wgslType(b.tensor.dtype);
    const segs = b.tensor.storage.buffers;
    const elem = b.vec4 ? `vec4<${t}>` : t;
    const names = segs.map((_, s) => `${b.name}_${s}`);
    segs.forEach((buf, s) => {
      decls.push(`@group(0) @binding(${buffers.length}) var<storage, ${write ? 'read_write' : 'read'}> ${names[s]}: array<${elem}>;`);
      access.push(write ? 'write' : 'read');
      buffers.push(buf);
    });
    const per = b.tensor.storage.segmentElements / (b.vec4 ? 4 : 1);
    const suffix = b.vec4 ? '4' : '';
    decls.push(accessor(`${b.name}_${write ? 'set' : 'get'}${suffix}`, names, per, elem, write));
    // A vec4 output has no scalar setter: two invocations writing lanes of one vec4 would race.
    if (b.vec4 && !write) decls.push(`fn ${b.name}_get(i: u32) -> ${t} { return ${b.name}_get4(i >> 2u)[i & 3u]; }`);
  };
  for (const b of p.inputs) bind(b, false);
  for (const b of p.outputs) bind(b, true);
  if (buffers.length > maxStorageBuffers) {
    throw new OpenMindError(
      `webgpu ${p.name}: needs ${buffers.length} storage bindings but the device allows ${maxStorageBuffers} `
        + '(tensors larger than one binding take one per segment).',
    );
  }
  let uniformData: Uint32Array | null = null;
  if (p.uniforms?.length) {
    decls.push(`struct Params {\n${p.uniforms.map((x) => `  ${x.name}: ${x.type ?? 'u32'},`).join('\n')}\n}`);
    decls.push(`@group(0) @binding(${buffers.length}) var<uniform> P: Params;`);
    access.push('uniform');
    uniformData = new Uint32Array(Math.ceil(p.uniforms.length / 4) * 4);
    p.uniforms.forEach((x, i) => { uniformData![i] = x.value >>> 0; });
  }
  const wgCount = p.workgroups ?? Math.ceil((p.threads ?? 0) / p.workgroupSize);
  const grid = dispatchGrid(Math.max(wgCount, 1), maxPerDim);
  // The grid comes from num_workgroups rather than the source, so sources do not vary with sizes.
  const wgExpr = 'wid.x + (wid.y + wid.z * nwg.y) * nwg.x';
  const limit = p.uniforms?.some((x) => x.name === 'threads') ? 'P.threads' : `${p.threads}u`;
  const head = p.workgroups !== undefined
    ? `let wg = ${wgExpr};`
    : `let gid = (${wgExpr}) * ${p.workgroupSize}u + lid;\n  if (gid >= ${limit}) { return; }`;
  const code = `var<private> om_special: vec3<u32> = vec3<u32>(0x7f800000u, 0xff800000u, 0x7fc00000u);
${decls.join('\n')}
${p.helpers ?? ''}
@compute @workgroup_size(${p.workgroupSize})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  ${head}
${p.body}
}
`;
  return { code, access, buffers, grid, uniformData };
}

/** `fn name(i) -> T` (or `fn name(i, v)` to write) choosing the segment that holds element i. */
function accessor(fn: string, names: readonly string[], per: number, elem: string, write: boolean): string {
  const sig = write ? `fn ${fn}(i: u32, v: ${elem})` : `fn ${fn}(i: u32) -> ${elem}`;
  const op = (n: string, j: string) => (write ? `${n}[${j}] = v;` : `return ${n}[${j}];`);
  if (names.length === 1) return `${sig} { ${op(names[0]!, 'i')} }`;
  const cases = names.slice(0, -1).map((n, s) => `    case ${s}u: { ${op(n, 'j')} }`).join('\n');
  return `${sig} {
  let s = i / ${per}u;
  let j = i - s * ${per}u;
  switch s {
${cases}
    default: { ${op(names[names.length - 1]!, 'j')} }
  }
}`;
}
