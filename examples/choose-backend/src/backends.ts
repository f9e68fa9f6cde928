import { type BackendProvider, type OpenMindPlugin, createRuntime, BackendId } from '@openmind-ssl/core';
import onnxruntime from '@openmind-ssl/backend-onnxruntime';
import tfjs from '@openmind-ssl/backend-tfjs';
import webgpu from '@openmind-ssl/backend-webgpu';

/** The backends this app ships with, as plugins in one container (the composition root). */
export function backendProviders(plugins: readonly OpenMindPlugin[] = [onnxruntime, webgpu, tfjs]): BackendProvider[] {
  const rt = createRuntime({ plugins });
  return rt.names(BackendId).map((name) => rt.resolve(BackendId, name));
}
