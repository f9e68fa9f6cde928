import { noGrad, OpenMindError, type Tensor, tensor, withBackend } from '@openmind-ssl/core';
import { compileGraph } from '../graph/compile-graph.js';
import { LazyTensor } from '../graph/lazy-tensor.js';
import { encodeModel, type OnnxGraphSpec, type OnnxNodeSpec, type OnnxTensorValue, OPSET } from '../onnx/onnx-model.js';
import type { OnnxRuntimeBackend } from '../onnxruntime-backend.js';

/** Options of {@link exportOnnxModel}. */
export interface OnnxExportOptions {
  /** Shape of one sample with batch 1, e.g. [1, C, D, H, W]: the traced input. */
  sampleShape: readonly number[];
  /** Leading batch dimension symbolic ('batch'), run sample by sample in an ONNX Loop; true. */
  dynamicBatch?: boolean;
  /** Graph input and output names; 'input' and 'logits'. */
  inputName?: string;
  outputName?: string;
  /** ModelProto.metadata_props. */
  metadata?: Readonly<Record<string, string>>;
  docString?: string;
}

/** The opset of exported models (the backend's own). */
export const EXPORT_OPSET = OPSET;

/**
 * Exports `forward` as a standalone ONNX model by tracing it once on the ONNX Runtime backend: the backend
 * records every kernel as ONNX nodes (the same graphs it runs), the materialized tensors the result depends
 * on (the network's weights) become initializers and the traced input becomes the graph input. With
 * `dynamicBatch`, the traced per-sample graph is the body of an ONNX Loop over the batch, so the model
 * takes [N, …] for any N although the traced kernels fix batch 1.
 *
 * The network's parameters must live on `backend`. The backend must not evaluate mid-trace: create it
 * with a `maxPendingNodes` above the network's node count.
 *
 * @throws OpenMindError when the output does not depend on the input or the backend evaluated during the trace.
 */
export function exportOnnxModel(backend: OnnxRuntimeBackend, forward: (x: Tensor) => Tensor, options: OnnxExportOptions): Uint8Array {
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'logits';
  const runsBefore = backend.stats.runs;
  const { x, y } = withBackend(backend, () => noGrad(() => {
    const input = tensor(new Float32Array(options.sampleShape.reduce((a, b) => a * b, 1)), [...options.sampleShape]);
    return { x: input, y: forward(input) };
  }));
  try {
    if (backend.stats.runs !== runsBefore) {
      throw new OpenMindError('exportOnnxModel: the backend evaluated part of the graph during the trace; create it with a larger maxPendingNodes.');
    }
    const out = y.handle as LazyTensor;
    if (!(out instanceof LazyTensor) || !out.pending) throw new OpenMindError('exportOnnxModel: the network output was not computed on this backend from the traced input.');
    const { spec, feeds } = compileGraph([out]);
    const inputIndex = feeds.indexOf(x.handle as LazyTensor);
    if (inputIndex < 0) throw new OpenMindError('exportOnnxModel: the network output does not depend on its input.');
    const tracedInput = spec.inputs[inputIndex]!.name;
    const tracedOutput = spec.outputs[0]!.name;
    const initializers = feeds.flatMap((f, i) => (i === inputIndex ? [] : [{ name: spec.inputs[i]!.name, value: constantOf(f) }]));
    const sample = [...options.sampleShape];
    const outSample = [...y.shape];
    const graph: OnnxGraphSpec = options.dynamicBatch === false
      ? {
        name: 'openmind_export',
        nodes: [identity(inputName, tracedInput), ...spec.nodes, identity(tracedOutput, outputName)],
        inputs: [{ name: inputName, dtype: 'float32', dims: sample }],
        outputs: [{ name: outputName, dtype: 'float32', dims: outSample }],
        initializers,
      }
      : batchLoop(spec.nodes, initializers, { inputName, outputName, tracedInput, tracedOutput, sample, outSample });
    return encodeModel(graph, { producerName: '@openmind-ssl/backend-onnxruntime', ...(options.metadata ? { metadata: options.metadata } : {}), ...(options.docString ? { docString: options.docString } : {}) });
  } finally {
    x.dispose();
    y.dispose();
  }
}

function constantOf(t: LazyTensor): OnnxTensorValue {
  const data = t.value!.data as Float32Array | Int32Array | Uint8Array;
  if (t.elemType === 'float32') return { dtype: 'float32', dims: t.shape, values: data as Float32Array };
  if (t.elemType === 'int32' || t.elemType === 'uint8') return { dtype: t.elemType, dims: t.shape, values: Array.from(data) };
  throw new OpenMindError(`exportOnnxModel: a ${t.elemType} constant cannot be stored.`);
}

function identity(from: string, to: string): OnnxNodeSpec {
  return { opType: 'Identity', inputs: [from], outputs: [to], attrs: [] };
}

function constant(name: string, value: OnnxTensorValue): OnnxNodeSpec {
  return { opType: 'Constant', inputs: [], outputs: [name], attrs: [{ name: 'value', kind: 'tensor', value }] };
}

/**
 * input [N, …] → Loop over n < N: body takes sample n as [1, …] (Gather + Unsqueeze), runs the traced
 * nodes and emits [1, K, …] as a scan output; the stacked [N, 1, K, …] is squeezed to [N, K, …].
 * The body reads the weights from the outer graph's initializers.
 */
function batchLoop(
  traced: readonly OnnxNodeSpec[],
  initializers: OnnxGraphSpec['initializers'],
  n: { inputName: string; outputName: string; tracedInput: string; tracedOutput: string; sample: number[]; outSample: number[] },
): OnnxGraphSpec {
  const body: OnnxGraphSpec = {
    name: 'openmind_sample',
    nodes: [
      { opType: 'Gather', inputs: [n.inputName, 'loop_iter'], outputs: ['loop_sample'], attrs: [{ name: 'axis', kind: 'int', value: 0 }] },
      constant('loop_axis0', { dtype: 'int64', dims: [1], values: [0] }),
      { opType: 'Unsqueeze', inputs: ['loop_sample', 'loop_axis0'], outputs: [n.tracedInput], attrs: [] },
      ...traced,
      identity(n.tracedOutput, 'loop_sample_out'),
      identity('loop_cond_in', 'loop_cond_out'),
    ],
    inputs: [{ name: 'loop_iter', dtype: 'int64', dims: [] }, { name: 'loop_cond_in', dtype: 'bool', dims: [] }],
    outputs: [{ name: 'loop_cond_out', dtype: 'bool', dims: [] }, { name: 'loop_sample_out', dtype: 'float32', dims: n.outSample }],
  };
  return {
    name: 'openmind_export',
    nodes: [
      { opType: 'Shape', inputs: [n.inputName], outputs: ['loop_shape'], attrs: [] },
      constant('loop_zero', { dtype: 'int64', dims: [], values: [0] }),
      { opType: 'Gather', inputs: ['loop_shape', 'loop_zero'], outputs: ['loop_count'], attrs: [{ name: 'axis', kind: 'int', value: 0 }] },
      constant('loop_true', { dtype: 'bool', dims: [], values: [1] }),
      { opType: 'Loop', inputs: ['loop_count', 'loop_true'], outputs: ['loop_stacked'], attrs: [{ name: 'body', kind: 'graph', value: body }] },
      constant('loop_axis1', { dtype: 'int64', dims: [1], values: [1] }),
      { opType: 'Squeeze', inputs: ['loop_stacked', 'loop_axis1'], outputs: [n.outputName], attrs: [] },
    ],
    inputs: [{ name: n.inputName, dtype: 'float32', dims: ['batch', ...n.sample.slice(1)] }],
    outputs: [{ name: n.outputName, dtype: 'float32', dims: ['batch', ...n.outSample.slice(1)] }],
    ...(initializers ? { initializers } : {}),
  };
}
