import type { DType, HostArray, Shape } from '@openmind-ssl/core';
import { toHostArray } from '@openmind-ssl/core';

/** One tensor of a fixture. Inputs hold float32-exact values; outputs and gradients float64 values. */
export interface FixtureTensor {
  readonly name?: string;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly data: readonly number[];
}

/**
 * A golden value computed by PyTorch (tools/gen_fixtures.py). `grads` are the gradients of
 * sum(output · upstream) with respect to the named inputs, where output is the first entry of `outputs`.
 */
export interface TorchFixture {
  readonly name: string;
  /** 'conv3d' | 'convTranspose3d' | 'pool3d' | 'instanceNorm' | 'crossEntropy' | 'interpolate'. */
  readonly op: string;
  /** Which PyTorch made it, and how. */
  readonly generator: string;
  /** camelCase attributes: stride, padding, dilation, groups, outputPadding, mode, kernelSize, eps, labelSmoothing, alignCorners, scaleFactor, size… */
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly inputs: readonly FixtureTensor[];
  readonly upstream: FixtureTensor;
  readonly outputs: Readonly<Record<string, FixtureTensor>>;
  readonly grads: Readonly<Record<string, FixtureTensor>>;
}

/** The fixture input called `name`. */
export function fixtureInput(fixture: TorchFixture, name: string): FixtureTensor {
  const t = fixture.inputs.find((i) => i.name === name);
  if (!t) throw new Error(`${fixture.name}: fixture has no input named '${name}'`);
  return t;
}

/** A fixture tensor's values as the host array of its dtype (float32 inputs convert exactly). */
export function fixtureData(t: FixtureTensor): HostArray {
  return toHostArray(t.data, t.dtype);
}
