import { simclrPlugin } from './plugin.js';

export default simclrPlugin;
export { simclrFactory, simclrPlugin } from './plugin.js';
export { SimclrMethod } from './simclr-method.js';
export { simclrConfigSchema, tokenSimclrConfigSchema, type SimclrConfig, type TokenSimclrConfig } from './config.js';
export { ContrastiveNetwork } from './contrastive-network.js';
export { cosineSimilarityMatrix, ntXent } from './nt-xent.js';
export { SIMCLR_VIEWS, simclrDataPipeline } from './data-pipeline.js';
