export { unpickle, type UnpickleOptions } from './pickle/safe-unpickler.js';
export { PickleWriter, WritableTensor, type TensorSlot, type WritableValue } from './pickle/pickle-writer.js';
export {
  NumpyArray, NumpyDType, PyDevice, PyDict, PyGlobal, PySet, PyTuple, StorageRef, TorchTensor, type PyKey, type PyValue,
} from './pickle/py-value.js';
export { jsonToPy, pyToPlainJson, pyToTaggedJson, taggedJsonToPy, type Json } from './pickle/py-json.js';
export { type ByteSource, fileSource, memorySource } from './zip/byte-source.js';
export { ZipReader, type ZipEntry } from './zip/zip-reader.js';
export { ZipWriter, type Append } from './zip/zip-writer.js';
export { crc32 } from './zip/crc32.js';
export { readPth, type PthFile, type ReadPthOptions } from './pth/read-pth.js';
export { encodePth, encodePthBytes, isRawTensor, writePth, type PthValue, type WritePthOptions } from './pth/write-pth.js';
export { dictGet, rawTensorOf, tensorsIn } from './pth/tensor-tree.js';
export {
  float32Raw, fromHostTensor, isContiguous, materializeStrided, numelOf, rawValues, toHostTensor, type RawTensor,
} from './torch/raw-tensor.js';
export { elementSize, TORCH_DTYPES, type TorchDType } from './torch/torch-dtype.js';
export { readRawSafetensors, writeRawSafetensors } from './safetensors/raw-safetensors.js';
export { parseAdaptationPlan } from './nnssl/parse-adaptation-plan.js';
export { keyMappingOf, type KeyMappingSource } from './nnssl/key-mapping.js';
export { resizePositionEmbedding, type Grid3, type ResizePositionEmbeddingOptions } from './nnssl/resize-position-embedding.js';
export { repeatInputProjection } from './nnssl/repeat-input-projection.js';
export {
  adaptPretrainedWeights, type AdaptMode, type AdaptOptions, type AdaptReport, type AdaptTarget,
} from './nnssl/adapt-pretrained-weights.js';
export { readNnsslCheckpoint, type NnsslCheckpoint } from './nnssl/read-nnssl-checkpoint.js';
export { loadNnsslWeights } from './nnssl/load-nnssl-weights.js';
export { networkFromAdaptationPlan } from './nnssl/network-from-plan.js';
export { exportNnsslCheckpoint, nnsslCheckpointValue, stateDictToRaw, type ExportNnsslOptions } from './nnssl/export-nnssl-checkpoint.js';
export { convertCheckpoint, readCheckpointContent, type ConvertOptions, type ConvertSummary } from './convert/convert-checkpoint.js';
export {
  CHECKPOINT_METADATA_KEY, PLAN_METADATA_KEY, TREE_METADATA_KEY, type CheckpointContent,
} from './convert/checkpoint-content.js';
export { type PretrainedCheckpoint, readPretrainedCheckpoint } from './pretrained/read-pretrained-checkpoint.js';
export { loadPretrainedEncoder, type PretrainedLoad, pretrainPatchSize } from './pretrained/load-pretrained-encoder.js';
