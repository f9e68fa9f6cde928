import type { Pool3DAttrs, Rng, Shape } from '@openmind-ssl/core';
import { windowOutputSize } from '@openmind-ssl/core';
import type { KernelCase } from '../kernel-case.js';
import { kernelCase } from '../kernel-case.js';
import { pick, randn } from './generators.js';

interface PoolSetup {
  readonly variant: string;
  readonly x: Shape;
  readonly attrs: Pool3DAttrs;
  /** Draw x from {0, 1, 2} so windows hold ties: the gradient must go to the first maximum. */
  readonly ties?: boolean;
}

const t = (v: number): [number, number, number] => [v, v, v];

const SETUPS: readonly PoolSetup[] = [
  { variant: 'max-k2s2', x: [1, 2, 6, 6, 6], attrs: { mode: 'max', kernelSize: t(2), stride: t(2), padding: t(0) } },
  { variant: 'max-k3s2-pad1', x: [2, 2, 5, 6, 7], attrs: { mode: 'max', kernelSize: t(3), stride: t(2), padding: t(1) } },
  { variant: 'max-k3s1-pad1-overlap', x: [1, 2, 4, 4, 4], attrs: { mode: 'max', kernelSize: t(3), stride: t(1), padding: t(1) } },
  { variant: 'max-odd-input-floor', x: [1, 1, 5, 5, 5], attrs: { mode: 'max', kernelSize: t(2), stride: t(2), padding: t(0) } },
  { variant: 'max-ties', x: [1, 2, 4, 4, 4], ties: true, attrs: { mode: 'max', kernelSize: t(2), stride: t(1), padding: t(1) } },
  { variant: 'avg-k2s2', x: [1, 2, 6, 6, 6], attrs: { mode: 'avg', kernelSize: t(2), stride: t(2), padding: t(0) } },
  // Padding counts in the divisor (count_include_pad): border windows average in zeros.
  { variant: 'avg-k3s2-pad1', x: [2, 2, 5, 6, 7], attrs: { mode: 'avg', kernelSize: t(3), stride: t(2), padding: t(1) } },
  {
    variant: 'avg-anisotropic', x: [1, 3, 4, 6, 5],
    attrs: { mode: 'avg', kernelSize: [1, 2, 3], stride: [1, 2, 2], padding: [0, 1, 1] },
  },
];

function casesFor(s: PoolSetup): KernelCase[] {
  const yShape = [s.x[0]!, s.x[1]!, ...[0, 1, 2].map((i) => windowOutputSize(
    s.x[2 + i]!, s.attrs.kernelSize[i]!, s.attrs.stride[i]!, s.attrs.padding[i]!,
  ))];
  const input = (rng: Rng) => (s.ties ? pick(rng, s.x, [0, 1, 2]) : randn(rng, s.x));
  return [
    kernelCase('pool3d', s.variant, (rng) => ({
      inputs: [input(rng)],
      run: (b, [x]) => b.pool3d(x!, s.attrs),
    })),
    kernelCase('pool3dBackprop', s.variant, (rng) => ({
      inputs: [randn(rng, yShape), input(rng)],
      run: (b, [dy, x]) => b.pool3dBackprop(dy!, x!, s.attrs),
    })),
  ];
}

/** Every pooling setup, forward and backward. */
export const POOL_CASES: readonly KernelCase[] = SETUPS.flatMap(casesFor);
