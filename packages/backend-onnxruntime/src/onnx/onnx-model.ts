import { ProtoWriter } from './proto-writer.js';

/** ONNX TensorProto.DataType values used here. */
export const OnnxDataType = {
  float32: 1,
  uint8: 2,
  int32: 6,
  int64: 7,
  bool: 9,
} as const;
export type OnnxElemType = keyof typeof OnnxDataType;

/** A constant tensor (attribute value or Constant node payload). */
export interface OnnxTensorValue {
  readonly dtype: OnnxElemType;
  readonly dims: readonly number[];
  /** Values as numbers (int64 values must be safe integers); a Float32Array is stored without a copy. */
  readonly values: readonly number[] | Float32Array;
}

/** One attribute of a node; the kind decides the AttributeProto field. */
export type OnnxAttr =
  | { readonly name: string; readonly kind: 'int'; readonly value: number }
  | { readonly name: string; readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly name: string; readonly kind: 'float'; readonly value: number }
  | { readonly name: string; readonly kind: 'string'; readonly value: string }
  | { readonly name: string; readonly kind: 'tensor'; readonly value: OnnxTensorValue }
  | { readonly name: string; readonly kind: 'graph'; readonly value: OnnxGraphSpec };

export interface OnnxNodeSpec {
  readonly opType: string;
  /** Value names; '' marks an omitted optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: readonly OnnxAttr[];
  /** NodeProto.name: ORT's profiles and error messages show it. */
  readonly name?: string;
}

export interface OnnxValueSpec {
  readonly name: string;
  readonly dtype: OnnxElemType;
  /** Sizes; a string is a symbolic dimension (dim_param), e.g. 'batch'. */
  readonly dims: readonly (number | string)[];
}

export interface OnnxGraphSpec {
  readonly nodes: readonly OnnxNodeSpec[];
  readonly inputs: readonly OnnxValueSpec[];
  readonly outputs: readonly OnnxValueSpec[];
  /** Named constant tensors (weights of an exported model). */
  readonly initializers?: readonly { readonly name: string; readonly value: OnnxTensorValue }[];
  /** GraphProto.name; 'openmind' when absent. */
  readonly name?: string;
}

/** Model-level fields of an exported model. */
export interface OnnxModelOptions {
  /** ModelProto.metadata_props: key → value strings (ONNX Runtime shows them as the model's custom metadata). */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly producerName?: string;
  readonly docString?: string;
}

/** Opset of the default domain. 17 has ScatterElements reduction="add" and ReduceSum axes as an input. */
export const OPSET = 17;
const IR_VERSION = 8;

const ATTR_TYPE = { float: 1, int: 2, string: 3, tensor: 4, graph: 5, ints: 7 } as const;

function tensorBytes(t: OnnxTensorValue): Uint8Array {
  const n = t.values.length;
  if (t.values instanceof Float32Array && t.dtype === 'float32') return new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength);
  if (t.dtype === 'float32') return new Uint8Array(Float32Array.from(t.values).buffer);
  if (t.dtype === 'int32') return new Uint8Array(Int32Array.from(t.values).buffer);
  if (t.dtype === 'int64') {
    const out = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const v = t.values[i]!;
      if (v >= -(2 ** 31) && v < 2 ** 31) {
        out[2 * i] = v;
        out[2 * i + 1] = v < 0 ? -1 : 0;
      } else {
        const big = BigInt.asUintN(64, BigInt(v));
        out[2 * i] = Number(big & 0xffffffffn) | 0;
        out[2 * i + 1] = Number(big >> 32n) | 0;
      }
    }
    return new Uint8Array(out.buffer);
  }
  return Uint8Array.from(t.values);
}

// One writer per nesting level, reused for every node: a step's model has tens of thousands of nodes and
// attributes, and a fresh writer each is most of the encoding time. Each is copied into its parent
// before the next use.
const NODE = new ProtoWriter();
const ATTR = new ProtoWriter();
const TENSOR = new ProtoWriter();

function encodeTensor(t: OnnxTensorValue, name?: string): ProtoWriter {
  const w = TENSOR.reset();
  w.packedInts(1, t.dims);
  w.int(2, OnnxDataType[t.dtype]);
  if (name !== undefined) w.string(8, name);
  // raw_data is little-endian, which is what typed arrays hold on every platform Node runs on.
  w.bytes(9, tensorBytes(t));
  return w;
}

function encodeAttr(a: OnnxAttr, graph?: Uint8Array): ProtoWriter {
  const w = ATTR.reset().string(1, a.name);
  switch (a.kind) {
    case 'int': w.int(3, a.value); break;
    case 'float': w.float(2, a.value); break;
    case 'string': w.string(4, a.value); break;
    case 'ints': w.packedInts(8, a.value); break;
    case 'tensor': w.message(5, encodeTensor(a.value)); break;
    case 'graph': w.bytes(6, graph!); break;
  }
  w.int(20, ATTR_TYPE[a.kind]);
  return w;
}

function encodeNode(n: OnnxNodeSpec): ProtoWriter {
  // A subgraph (Loop body) reuses the shared writers, so it is encoded completely before this node starts.
  const graphs = n.attrs.map((a) => (a.kind === 'graph' ? encodeGraph(a.value).slice() : undefined));
  const w = NODE.reset();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name !== undefined) w.string(3, n.name);
  w.string(4, n.opType);
  n.attrs.forEach((a, i) => w.message(5, encodeAttr(a, graphs[i])));
  return w;
}

function encodeValueInfo(v: OnnxValueSpec): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, OnnxDataType[v.dtype]).message(2, shape);
  const type = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, v.name).message(2, type);
}

function encodeGraph(graph: OnnxGraphSpec): Uint8Array {
  const g = new ProtoWriter();
  for (const n of graph.nodes) g.message(1, encodeNode(n));
  g.string(2, graph.name ?? 'openmind');
  for (const i of graph.initializers ?? []) g.message(5, encodeTensor(i.value, i.name));
  for (const v of graph.inputs) g.message(11, encodeValueInfo(v));
  for (const v of graph.outputs) g.message(12, encodeValueInfo(v));
  return g.finish();
}

/** Serializes a graph as ONNX ModelProto bytes (IR 8, default-domain opset 17). */
export function encodeModel(graph: OnnxGraphSpec, options: OnnxModelOptions = {}): Uint8Array {
  const opset = new ProtoWriter().string(1, '').int(2, OPSET);
  const model = new ProtoWriter()
    .int(1, IR_VERSION)
    .string(2, options.producerName ?? '@openmind-ssl/backend-onnxruntime');
  if (options.docString !== undefined) model.string(6, options.docString);
  model.bytes(7, encodeGraph(graph)).message(8, opset);
  for (const [key, value] of Object.entries(options.metadata ?? {})) model.message(14, new ProtoWriter().string(1, key).string(2, value));
  return model.finish();
}
