import type { DType, Shape } from '@openmind-ssl/core';
import type { OnnxAttr, OnnxElemType } from '../onnx/onnx-model.js';
import { LazyTensor, type LazyNode } from './lazy-tensor.js';

/** The dtype core sees for an ONNX element type (internal int64/bool tensors never reach core). */
function dtypeFor(elemType: OnnxElemType): DType {
  if (elemType === 'float32') return 'float32';
  if (elemType === 'uint8' || elemType === 'bool') return 'uint8';
  return 'int32';
}

/** Output description of a recorded node. */
export interface OutSpec {
  readonly shape: Shape;
  readonly type: OnnxElemType;
}

/**
 * What kernels use to record ONNX nodes. Every call appends one node and returns its output tensors
 * at once; nothing runs until the backend evaluates.
 */
export class GraphBuilder {
  /**
   * Compute nodes recorded since the counter was last reset (drives the forced-evaluation bound).
   * Constants are not counted: they cost ORT nothing at run time.
   */
  recorded = 0;
  /** Kernel being recorded; nodes carry it so ORT's profile can be grouped by kernel. */
  kernel: string | undefined = undefined;

  /** Records a single-output node. */
  op(opType: string, inputs: readonly (LazyTensor | undefined)[], attrs: readonly OnnxAttr[], out: OutSpec): LazyTensor {
    return this.opMulti(opType, inputs, attrs, [out])[0]!;
  }

  /** Records a node with several outputs (e.g. MaxPool's values and indices). */
  opMulti(
    opType: string,
    inputs: readonly (LazyTensor | undefined)[],
    attrs: readonly OnnxAttr[],
    outs: readonly OutSpec[],
  ): LazyTensor[] {
    const node: LazyNode = { opType, inputs, attrs, outputCount: outs.length, kernel: this.kernel };
    if (opType !== 'Constant') this.recorded++;
    return outs.map((o, outputIndex) => new LazyTensor(o.shape, dtypeFor(o.type), o.type, { node, outputIndex }));
  }

  /** A constant tensor recorded as an ONNX Constant node (shapes, axes, pads, small fills). */
  constant(type: OnnxElemType, dims: Shape, values: readonly number[]): LazyTensor {
    return this.op('Constant', [], [{ name: 'value', kind: 'tensor', value: { dtype: type, dims, values } }], { shape: dims, type });
  }

  /** A 1-D int64 constant, the form ONNX wants for shapes, axes, starts/ends and pads. */
  int64s(values: readonly number[]): LazyTensor {
    return this.constant('int64', [values.length], values);
  }

  /** A rank-0 constant of the given type. */
  scalar(type: OnnxElemType, value: number): LazyTensor {
    return this.constant(type, [], [value]);
  }
}

/** Attribute helpers: kernels read better with `ints('pads', p)` than with object literals. */
export const ints = (name: string, value: readonly number[]): OnnxAttr => ({ name, kind: 'ints', value });
export const int = (name: string, value: number): OnnxAttr => ({ name, kind: 'int', value });
export const float = (name: string, value: number): OnnxAttr => ({ name, kind: 'float', value });
export const str = (name: string, value: string): OnnxAttr => ({ name, kind: 'string', value });
