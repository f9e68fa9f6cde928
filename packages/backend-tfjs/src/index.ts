export { TfjsBackend, createTfjsBackend } from './tfjs-backend.js';
export type { TfjsBackendOptions } from './tfjs-backend.js';
export { TFJS_VARIANTS } from './tfjs-variant.js';
export type { TfjsVariant, VariantFailure } from './tfjs-variant.js';
export { TfjsHandle } from './tfjs-handle.js';
export { tfjsPlugin, tfjsProvider } from './plugin.js';
import { tfjsPlugin } from './plugin.js';

export default tfjsPlugin;
