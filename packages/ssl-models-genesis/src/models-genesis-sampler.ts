import type { Rng, SampledViews, SourceSample, ViewSampler } from '@openmind-ssl/core';
import { corruptSample, type GenesisIntensity } from './corrupt.js';
import { drawGenesisPlan, type GenesisRates, NNSSL_GENESIS_RATES } from './genesis-plan.js';

/** Options of {@link modelsGenesisSampler} (structured-cloneable: they travel to the data workers). */
export interface ModelsGenesisSamplerOptions {
  rates?: GenesisRates;
  intensity?: GenesisIntensity;
  /** Pick flip axes as nnssl does, from (channel, X, Y) of the (C, X, Y, Z) array, instead of (X, Y, Z). */
  nnsslFlipAxes?: boolean;
}

/**
 * The Models Genesis view sampler, built in the data workers: each loaded crop becomes the view `input`
 * (the corrupted crop) and the view `target` (the crop after the flips only), both with the flipped masks.
 */
export function modelsGenesisSampler(options: ModelsGenesisSamplerOptions = {}): ViewSampler {
  const rates = options.rates ?? NNSSL_GENESIS_RATES;
  const axes = options.nnsslFlipAxes ? [0, 1, 2] : [1, 2, 3];
  return {
    name: 'models-genesis',
    sample(source: SourceSample, rng: Rng): SampledViews {
      const [, X, Y, Z] = source.shape;
      const plan = drawGenesisPlan([X, Y, Z], rates, axes, rng);
      const { input, target } = corruptSample(source, plan, options.intensity ?? 'unit');
      return { views: { input: [input], target: [target] } };
    },
  };
}
