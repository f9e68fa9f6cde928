export * from './data/index.js';
export * from './metrics/index.js';
