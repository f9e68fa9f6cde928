import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { OpenMindError } from '@openmind-ssl/core';

export type OrtTensor = Tensor;
export type OrtSession = InferenceSession;
export type OrtSessionOptions = InferenceSession.SessionOptions;

/** The parts of onnxruntime-node this backend uses. */
export interface OrtModule {
  readonly InferenceSession: {
    create(model: Uint8Array, options?: OrtSessionOptions): Promise<InferenceSession>;
  };
  readonly Tensor: new (type: 'float32' | 'int32' | 'uint8', data: Float32Array | Int32Array | Uint8Array, dims: readonly number[]) => Tensor;
  readonly listSupportedBackends?: () => { name: string; bundled: boolean }[];
}

/**
 * Loads onnxruntime-node on first use, so importing this package costs nothing and a missing install
 * fails in `init()` with a message rather than at import time.
 */
export async function loadOrt(): Promise<OrtModule> {
  try {
    const mod = (await import('onnxruntime-node')) as unknown as OrtModule & { default?: OrtModule };
    return mod.default ?? mod;
  } catch (cause) {
    throw new OpenMindError(
      'backend-onnxruntime: could not load "onnxruntime-node". Install it with `npm install onnxruntime-node`.',
      { cause },
    );
  }
}
