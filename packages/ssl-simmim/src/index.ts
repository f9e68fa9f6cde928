import { simmimPlugin } from './plugin.js';

export default simmimPlugin;
export { simmimFactory, simmimPlugin } from './plugin.js';
export { SimmimMethod, type SimmimReconstruction } from './simmim-method.js';
export { SimmimNetwork } from './simmim-network.js';
export { simmimConfigSchema, type SimmimConfig } from './config.js';
export { drawTokenMask } from './token-mask.js';
