import type { DType, KernelHandle, Shape } from '@openmind-ssl/core';
import type { OnnxAttr, OnnxElemType } from '../onnx/onnx-model.js';
import type { OrtTensor } from '../ort/ort-module.js';

/** One recorded ONNX node; its outputs are LazyTensors that point back at it. */
export interface LazyNode {
  readonly opType: string;
  /** Inputs in ONNX order; `undefined` is an omitted optional input. */
  readonly inputs: readonly (LazyTensor | undefined)[];
  readonly attrs: readonly OnnxAttr[];
  readonly outputCount: number;
  /** The backend kernel that recorded the node (conv3dBackpropFilter, add, …), for profiles and errors. */
  readonly kernel?: string;
}

let nextId = 0;

/**
 * A tensor of the graph backend. It is either pending (`node` says how to compute it from other
 * LazyTensors) or materialized (`value` holds an ONNX Runtime tensor). Kernels build pending tensors;
 * an evaluation turns the live ones into materialized ones.
 *
 * `elemType` can differ from `dtype` only for tensors internal to a kernel (int64 shapes, bool masks);
 * tensors handed to core always have an ONNX type equal to their dtype.
 */
export class LazyTensor implements KernelHandle {
  /** Creation order; it orders graph outputs so equal step structures give equal graphs. */
  readonly id = nextId++;
  node: LazyNode | undefined;
  /** Which output of `node` this is. */
  readonly outputIndex: number;
  value: OrtTensor | undefined;
  /** Set when core disposed the handle; a pending consumer may still need its node or value. */
  disposed = false;
  /** The error its evaluation failed with; reads rethrow it, consumers fail the same way. */
  failure: unknown = undefined;

  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
    readonly elemType: OnnxElemType,
    source: { node: LazyNode; outputIndex?: number } | { value: OrtTensor },
  ) {
    if ('node' in source) {
      this.node = source.node;
      this.outputIndex = source.outputIndex ?? 0;
      this.value = undefined;
    } else {
      this.node = undefined;
      this.outputIndex = 0;
      this.value = source.value;
    }
  }

  get pending(): boolean {
    return this.value === undefined;
  }

  /** Called after an evaluation produced this tensor: drop the recipe so its inputs can be collected. */
  materialize(value: OrtTensor): void {
    this.value = value;
    this.node = undefined;
  }
}
