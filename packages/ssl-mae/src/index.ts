import { maePlugin } from './plugin.js';

export default maePlugin;
export { maeFactory, maePlugin } from './plugin.js';
export { MaeMethod, type MaeReconstruction } from './mae-method.js';
export { maeConfigSchema, type MaeConfig } from './config.js';
export { batchMask, blockMask } from './masking.js';
export { maskedMse } from './loss.js';
export { drawTokenKeep, TokenMaeMethod, TokenMaeNetwork, tokenMaeConfigSchema, type TokenMaeConfig } from './primus-mae.js';
