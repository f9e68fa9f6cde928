import type { Backend, Conv3DAttrs, KernelHandle, Pool3DAttrs } from '@openmind-ssl/core';
import { shapesEqual } from '@openmind-ssl/core';
import { compareValues, toleranceFor } from '../conformance/tolerance.js';
import type { FixtureTensor, TorchFixture } from './torch-fixture.js';
import { fixtureData, fixtureInput } from './torch-fixture.js';

/** The ops whose fixtures are checked kernel by kernel; the others need core's composite ops. */
export const KERNEL_FIXTURE_OPS = ['conv3d', 'convTranspose3d', 'pool3d'] as const;

/** One comparison against a fixture: a kernel call on uploaded fixture tensors, and the expected tensor. */
export interface TorchGoldenCheck {
  /** `torch/<fixture>/<output or grad name>` */
  readonly id: string;
  readonly expected: FixtureTensor;
  run(backend: Backend, tensor: (t: FixtureTensor) => KernelHandle): KernelHandle;
}

function convAttrs(a: Readonly<Record<string, unknown>>): Conv3DAttrs {
  return {
    stride: a.stride as Conv3DAttrs['stride'],
    padding: a.padding as Conv3DAttrs['padding'],
    dilation: a.dilation as Conv3DAttrs['dilation'],
    groups: a.groups as number,
  };
}

/**
 * The kernel-level reading of a fixture. conv3d: forward, input gradient (conv3dBackpropInput) and
 * filter gradient (conv3dBackpropFilter). conv_transpose3d is conv3dBackpropInput of a conv whose filter
 * is the transposed conv's weight; its input gradient is then conv3d of the upstream gradient and its
 * weight gradient conv3dBackpropFilter(upstream, x). pool3d: forward and pool3dBackprop.
 */
export function torchGoldenChecks(f: TorchFixture): TorchGoldenCheck[] {
  const id = (part: string) => `torch/${f.name}/${part}`;
  const up = f.upstream;
  if (f.op === 'conv3d' || f.op === 'convTranspose3d') {
    const attrs = convAttrs(f.attrs);
    const x = fixtureInput(f, 'x');
    const w = fixtureInput(f, 'weight');
    const y = f.outputs.y!;
    if (f.op === 'conv3d') {
      return [
        { id: id('y'), expected: y, run: (b, t) => b.conv3d(t(x), t(w), attrs) },
        { id: id('grad-x'), expected: f.grads.x!, run: (b, t) => b.conv3dBackpropInput(t(up), t(w), x.shape, attrs) },
        { id: id('grad-weight'), expected: f.grads.weight!, run: (b, t) => b.conv3dBackpropFilter(t(x), t(up), w.shape, attrs) },
      ];
    }
    return [
      { id: id('y'), expected: y, run: (b, t) => b.conv3dBackpropInput(t(x), t(w), y.shape, attrs) },
      { id: id('grad-x'), expected: f.grads.x!, run: (b, t) => b.conv3d(t(up), t(w), attrs) },
      { id: id('grad-weight'), expected: f.grads.weight!, run: (b, t) => b.conv3dBackpropFilter(t(up), t(x), w.shape, attrs) },
    ];
  }
  if (f.op === 'pool3d') {
    const attrs = f.attrs as unknown as Pool3DAttrs;
    const x = fixtureInput(f, 'x');
    return [
      { id: id('y'), expected: f.outputs.y!, run: (b, t) => b.pool3d(t(x), attrs) },
      { id: id('grad-x'), expected: f.grads.x!, run: (b, t) => b.pool3dBackprop(t(up), t(x), attrs) },
    ];
  }
  return [];
}

/**
 * Runs one golden check on `backend` and returns what differs (empty when it passes). Tolerance as in
 * the conformance suite: |a − e| ≤ p·|e| + p with p = `capabilities.floatPrecision`.
 */
export async function checkTorchGolden(backend: Backend, check: TorchGoldenCheck): Promise<string[]> {
  const made: KernelHandle[] = [];
  const problems: string[] = [];
  try {
    const upload = (t: FixtureTensor) => {
      const h = backend.upload(fixtureData(t), t.shape, t.dtype);
      made.push(h);
      return h;
    };
    const out = check.run(backend, upload);
    made.push(out);
    const actual = await backend.read(out);
    const expected = Float64Array.from(check.expected.data);
    if (!shapesEqual(out.shape, check.expected.shape)) {
      problems.push(`shape is [${out.shape.join(', ')}], expected [${check.expected.shape.join(', ')}]`);
    } else {
      const tol = toleranceFor(backend.capabilities.floatPrecision, 'float32');
      problems.push(...compareValues(actual, expected, check.expected.shape, tol));
    }
  } catch (err) {
    problems.push(`${backend.name} threw: ${err instanceof Error ? err.message : String(err)}`);
  }
  for (const h of made) backend.dispose(h);
  return problems.map((p) => `${check.id}: ${p}`);
}
