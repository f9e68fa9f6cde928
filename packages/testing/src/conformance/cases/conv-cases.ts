import type { Conv3DAttrs, Shape } from '@openmind-ssl/core';
import { sizeOf, windowOutputSize } from '@openmind-ssl/core';
import type { KernelCase } from '../kernel-case.js';
import { kernelCase } from '../kernel-case.js';
import { randn, weights } from './generators.js';

/** One convolution geometry; each is checked forward, as input gradient and as filter gradient. */
interface ConvSetup {
  readonly variant: string;
  /** Input [N, C, D, H, W]. */
  readonly x: Shape;
  /** Filter [K, C/groups, kd, kh, kw]. */
  readonly w: Shape;
  readonly stride?: readonly [number, number, number];
  readonly padding?: readonly [number, number, number];
  readonly dilation?: readonly [number, number, number];
  readonly groups?: number;
}

const SETUPS: readonly ConvSetup[] = [
  { variant: 'basic', x: [1, 2, 5, 5, 5], w: [3, 2, 3, 3, 3] },
  { variant: 'same-padding-batch2', x: [2, 3, 4, 5, 6], w: [4, 3, 3, 3, 3], padding: [1, 1, 1] },
  { variant: 'stride2-pad1', x: [1, 2, 7, 6, 5], w: [4, 2, 3, 3, 3], stride: [2, 2, 2], padding: [1, 1, 1] },
  // Both give a 3³ output; as transposed convs they differ by an implied output_padding of 1.
  { variant: 'stride2-even-input', x: [1, 2, 6, 6, 6], w: [2, 2, 3, 3, 3], stride: [2, 2, 2], padding: [1, 1, 1] },
  { variant: 'stride2-odd-input', x: [1, 2, 5, 5, 5], w: [2, 2, 3, 3, 3], stride: [2, 2, 2], padding: [1, 1, 1] },
  { variant: 'anisotropic', x: [1, 2, 6, 5, 4], w: [2, 2, 3, 1, 2], stride: [1, 2, 1], padding: [1, 0, 1] },
  { variant: 'dilation2', x: [1, 2, 7, 7, 7], w: [2, 2, 3, 3, 3], padding: [2, 2, 2], dilation: [2, 2, 2] },
  { variant: 'groups2', x: [1, 4, 5, 5, 5], w: [6, 2, 3, 3, 3], padding: [1, 1, 1], groups: 2 },
  { variant: 'depthwise', x: [1, 3, 4, 4, 4], w: [3, 1, 3, 3, 3], padding: [1, 1, 1], groups: 3 },
  { variant: 'pointwise-stride2', x: [2, 4, 5, 5, 5], w: [3, 4, 1, 1, 1], stride: [2, 2, 2] },
  { variant: 'patchify-k4s4', x: [1, 1, 8, 8, 8], w: [4, 1, 4, 4, 4], stride: [4, 4, 4] },
  { variant: 'upsample-k2s2', x: [1, 2, 6, 6, 6], w: [4, 2, 2, 2, 2], stride: [2, 2, 2] },
  {
    variant: 'all-attrs', x: [2, 4, 7, 6, 5], w: [4, 2, 2, 3, 3],
    stride: [2, 1, 2], padding: [1, 2, 0], dilation: [2, 1, 1], groups: 2,
  },
];

function attrsOf(s: ConvSetup): Conv3DAttrs {
  return {
    stride: s.stride ?? [1, 1, 1], padding: s.padding ?? [0, 0, 0], dilation: s.dilation ?? [1, 1, 1], groups: s.groups ?? 1,
  };
}

function outputShape(s: ConvSetup, a: Conv3DAttrs): Shape {
  return [s.x[0]!, s.w[0]!, ...[0, 1, 2].map((i) => windowOutputSize(
    s.x[2 + i]!, s.w[2 + i]!, a.stride[i]!, a.padding[i]!, a.dilation[i]!,
  ))];
}

function casesFor(s: ConvSetup): KernelCase[] {
  const attrs = attrsOf(s);
  const yShape = outputShape(s, attrs);
  const fanIn = sizeOf(s.w.slice(1));
  // dy scaled by 1/√(positions it is summed over) keeps the filter gradient O(1).
  const dyStd = 1 / Math.sqrt(sizeOf(yShape) / yShape[1]!);
  return [
    kernelCase('conv3d', s.variant, (rng) => ({
      inputs: [randn(rng, s.x), weights(rng, s.w, fanIn)],
      run: (b, [x, w]) => b.conv3d(x!, w!, attrs),
    })),
    kernelCase('conv3dBackpropInput', s.variant, (rng) => ({
      inputs: [randn(rng, yShape), weights(rng, s.w, fanIn)],
      run: (b, [dy, w]) => b.conv3dBackpropInput(dy!, w!, s.x, attrs),
    })),
    kernelCase('conv3dBackpropFilter', s.variant, (rng) => ({
      inputs: [randn(rng, s.x), randn(rng, yShape, dyStd)],
      run: (b, [x, dy]) => b.conv3dBackpropFilter(x!, dy!, s.w, attrs),
    })),
  ];
}

/** Every geometry × {forward, input gradient (= transposed conv), filter gradient}. */
export const CONV_CASES: readonly KernelCase[] = SETUPS.flatMap(casesFor);
