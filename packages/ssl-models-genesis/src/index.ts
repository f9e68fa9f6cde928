import { modelsGenesisPlugin } from './plugin.js';

export default modelsGenesisPlugin;
export { modelsGenesisFactory, modelsGenesisPlugin } from './plugin.js';
export { ModelsGenesisMethod } from './models-genesis-method.js';
export { genesisCnnConfigSchema, genesisTokenConfigSchema, type GenesisCnnConfig, type GenesisConfig, type GenesisTokenConfig } from './config.js';
export { drawGenesisPlan, NNSSL_GENESIS_RATES, type Box, type GenesisPlan, type GenesisRates } from './genesis-plan.js';
export { BEZIER_SAMPLES, bezierMapping } from './bezier.js';
export { drawShuffleWindow, localPixelShuffle, SHUFFLE_WINDOWS } from './local-shuffle.js';
export { paint } from './painting.js';
export { corruptSample, type GenesisIntensity } from './corrupt.js';
export { modelsGenesisSampler, type ModelsGenesisSamplerOptions } from './models-genesis-sampler.js';
