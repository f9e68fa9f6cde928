import { sparkPlugin } from './plugin.js';

export default sparkPlugin;
export { sparkFactory, sparkPlugin } from './plugin.js';
export { SparkMethod, type SparkReconstruction } from './spark-method.js';
export { SparkNetwork, type SparkArchitecture } from './spark-network.js';
export { MaskTokens } from './mask-tokens.js';
export { sparkConfigSchema, type SparkConfig } from './config.js';
export { drawCellMask, type CellMask } from './cell-mask.js';
export { BlockActiveVoxels } from './block-active-voxels.js';
export { sparkLoss } from './loss.js';
