// The messages between the page (src/main.ts) and the compute worker (src/compute-worker.ts). Every
// request carries an id; the worker answers it once (`result` or `error`) and may send `progress` before.

/** Which backend the user asked for; 'auto' takes WebGPU when an adapter is offered, else TensorFlow.js. */
export type BackendRequest = 'auto' | 'webgpu' | 'tfjs';

/** A file the user gave the page, as bytes (transferred, not copied). */
export interface FileBytes {
  name: string;
  bytes: ArrayBuffer;
}

export interface Requests {
  /** Start (or switch) the compute backend. */
  backend: { args: { request: BackendRequest }; result: BackendReport };
  /** Decode a NIfTI file with @openmind-ssl/data and keep it as the current scan. */
  scan: { args: FileBytes; result: ScanReport };
  /** Load a fine-tuned checkpoint (checkpoint.json + model.safetensors) and segment the current scan. */
  segment: { args: { files: FileBytes[]; mirroring: boolean }; result: SegmentReport };
  /** Mask the current scan and reconstruct it with a pre-trained (MAE) checkpoint. */
  reconstruct: { args: { files: FileBytes[]; seed: number }; result: ReconstructReport };
  /** Pre-train a small network with MAE on the current scan, reporting each step, until `steps` or stop. */
  pretrain: { args: PretrainArgs; result: PretrainReport };
  /** Ask a running pre-training to stop after the current step. */
  stop: { args: Record<string, never>; result: { stopped: boolean } };
}

export type RequestKind = keyof Requests;

export interface BackendReport {
  /** The backend in use: 'webgpu' or 'tfjs'. */
  name: 'webgpu' | 'tfjs';
  /** Why it was chosen, in one line (the adapter, or why WebGPU could not be used). */
  reason: string;
  /** Whether a WebGPU adapter exists here (so the page can offer the choice). */
  webgpuAvailable: boolean;
  webgpuReason: string;
}

export interface ScanReport {
  name: string;
  /** The volume re-encoded as an uncompressed .nii, as our reader understood it (for NiiVue). */
  nifti: ArrayBuffer;
  shape: number[];
  spacing: number[];
  orientation: string;
  warnings: string[];
}

export interface SegmentReport {
  /** The label map on the scan's grid, as a .nii (uint8) for a NiiVue overlay. */
  labels: ArrayBuffer;
  /** Sliding-window logits on the network's grid: [K, D, H, W] row-major. */
  logits: Float32Array;
  logitShape: number[];
  /** Voxels per label value. */
  counts: number[];
  tiles: number;
  seconds: number;
  backend: string;
}

export interface ReconstructReport {
  /** Input patch, masked input and reconstruction, each a .nii on the patch's grid. */
  input: ArrayBuffer;
  masked: ArrayBuffer;
  reconstruction: ArrayBuffer;
  /** MSE over the hidden voxels. */
  maskedMse: number;
  patch: number[];
  seconds: number;
}

export interface PretrainArgs {
  steps: number;
  patch: number;
  batch: number;
  lr: number;
  seed: number;
}

export interface PretrainReport {
  losses: number[];
  stopped: boolean;
  seconds: number;
  /** The pre-trained network as a .safetensors with the adaptation plan in its metadata (`openmind finetune --pretrained`). */
  checkpoint: ArrayBuffer;
}

/** Page → worker. */
export type WorkerRequest = { [K in RequestKind]: { id: number; kind: K; args: Requests[K]['args'] } }[RequestKind];

/** Worker → page. */
export type WorkerMessage =
  | { id: number; type: 'result'; result: unknown }
  | { id: number; type: 'error'; message: string }
  | { id: number; type: 'progress'; done: number; total: number; loss?: number };
