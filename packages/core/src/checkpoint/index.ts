export { removeStaleTemporaries, writeAtomic, writeFileAtomic, writeStreamAtomic } from './atomic-write.js';
export { bf16ToFloat, halfToFloat } from './half-precision.js';
export { acquireRunLock, RUN_LOCK_FILE, type RunLock, runLockHeld } from './run-lock.js';
export {
  decodeHeader, decodeTensorBytes, encodeHeader, encodeTensorBytes, type SafetensorsEntry, type SafetensorsHeader,
} from './safetensors.js';
export { decodeSafetensors, encodeSafetensors } from './safetensors-bytes.js';
export { loadSafetensors, readSafetensorsHeader, saveHostSafetensors, saveSafetensors, type HostTensor } from './safetensors-file.js';
export {
  checkpointName, latestCheckpoint, readCheckpoint, restoreCheckpoint, saveCheckpoint, toTensors,
  OPTIMIZER_FILE, STATE_FILE, WEIGHTS_FILE, type CheckpointState, type LoadedCheckpoint,
} from './checkpoint.js';
