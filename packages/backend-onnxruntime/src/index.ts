export { OnnxRuntimeBackend } from './onnxruntime-backend.js';
export type { OnnxRuntimeStats } from './onnxruntime-backend.js';
export type { OnnxRuntimeBackendOptions } from './backend-options.js';
export { encodeModel, OPSET } from './onnx/onnx-model.js';
export { EXPORT_OPSET, exportOnnxModel, type OnnxExportOptions } from './export/export-onnx-model.js';
export type { OnnxAttr, OnnxGraphSpec, OnnxModelOptions, OnnxNodeSpec, OnnxTensorValue, OnnxValueSpec } from './onnx/onnx-model.js';
export { onnxRuntimePlugin, onnxRuntimeProvider } from './plugin.js';
export { summarizeProfile } from './profile/summarize-profile.js';
export type { ProfileRow, ProfileSummary } from './profile/summarize-profile.js';
import { onnxRuntimePlugin } from './plugin.js';

export default onnxRuntimePlugin;
