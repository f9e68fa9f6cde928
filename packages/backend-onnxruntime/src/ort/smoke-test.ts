import { OpenMindError } from '@openmind-ssl/core';
import { encodeModel } from '../onnx/onnx-model.js';
import type { OrtModule, OrtSessionOptions } from './ort-module.js';

/**
 * Runs a one-node graph with the chosen session options. Execution providers that are not installed
 * (CUDA without its binaries) only fail when a session is made, so init() tries one instead of
 * leaving the failure to the first read.
 */
export async function smokeTest(ort: OrtModule, options: OrtSessionOptions): Promise<void> {
  const model = encodeModel({
    nodes: [{ opType: 'Add', inputs: ['a', 'a'], outputs: ['y'], attrs: [] }],
    inputs: [{ name: 'a', dtype: 'float32', dims: [2] }],
    outputs: [{ name: 'y', dtype: 'float32', dims: [2] }],
  });
  const providers = (options.executionProviders ?? []).map(String).join(', ');
  try {
    const session = await ort.InferenceSession.create(model, options);
    const out = await session.run({ a: new ort.Tensor('float32', new Float32Array([1, 2]), [2]) });
    const y = out.y?.data as Float32Array | undefined;
    await session.release();
    if (y?.[0] !== 2 || y[1] !== 4) throw new Error(`the test graph returned [${y ? [...y].join(', ') : 'nothing'}], expected [2, 4]`);
  } catch (cause) {
    const why = (cause instanceof Error ? cause.message : String(cause)).replace(/\.$/, '');
    throw new OpenMindError(
      `backend-onnxruntime: ONNX Runtime cannot run a graph with execution providers [${providers}]: ${why}.\n` +
        'Hint: the CUDA provider needs the GPU binaries of onnxruntime-node, which this project skips (onnxruntime-node-install=skip in .npmrc).',
      { cause },
    );
  }
}
