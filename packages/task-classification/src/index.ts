export * from './data/index.js';
export * from './metrics/index.js';
export * from './training/index.js';
export * from './network/index.js';
export * from './synth/index.js';
