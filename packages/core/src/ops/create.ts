import { allocate, type DType, type HostArray, toHostArray } from '../tensor/dtype.js';
import { getEngine } from '../tensor/current-engine.js';
import type { Engine } from '../tensor/engine.js';
import { OpenMindError } from '../errors/openmind-error.js';
import type { Rng } from '../random/rng.js';
import { sizeOf, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Options every factory accepts: the dtype and the engine (default: the current one). */
export interface CreateOptions {
  dtype?: DType;
  engine?: Engine;
}

/**
 * A tensor from host values (row-major).
 * @throws OpenMindError when the number of values does not match the shape.
 */
export function tensor(values: ArrayLike<number>, shape: Shape, options: CreateOptions = {}): Tensor {
  const engine = options.engine ?? getEngine();
  const dtype = options.dtype ?? dtypeFromValues(values);
  if (values.length !== sizeOf(shape)) {
    throw new OpenMindError(`tensor: ${values.length} values do not fill shape [${shape}] (${sizeOf(shape)} elements)`);
  }
  const data: HostArray = toHostArray(values, dtype);
  return new Tensor(engine, engine.backend.upload(data, shape, dtype));
}

function dtypeFromValues(values: ArrayLike<number>): DType {
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint8Array) return 'uint8';
  return 'float32';
}

/** A tensor filled with one value; the value is a constant to graph backends. */
export function full(shape: Shape, value: number, options: CreateOptions = {}): Tensor {
  const engine = options.engine ?? getEngine();
  return new Tensor(engine, engine.backend.fill(shape, options.dtype ?? 'float32', value));
}

export function zeros(shape: Shape, options: CreateOptions = {}): Tensor {
  return full(shape, 0, options);
}

export function ones(shape: Shape, options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

/** A rank-0 constant on the engine of `like` with its dtype. */
export function scalarLike(like: Tensor, value: number): Tensor {
  return full([], value, { engine: like.engine, dtype: like.dtype });
}

export function fullLike(like: Tensor, value: number): Tensor {
  return full(like.shape, value, { engine: like.engine, dtype: like.dtype });
}

/** A rank-0 tensor of run-time data (for values that change from step to step, like a learning rate). */
export function scalarInput(value: number, engine: Engine = getEngine()): Tensor {
  return new Tensor(engine, engine.backend.upload(Float32Array.of(value), [], 'float32'));
}

/** Normally distributed values drawn from `rng` on the host, so every backend sees the same numbers. */
export function randn(shape: Shape, rng: Rng, options: CreateOptions & { mean?: number; std?: number } = {}): Tensor {
  const data = rng.fillNormal(new Float32Array(sizeOf(shape)), options.mean ?? 0, options.std ?? 1);
  return tensor(data, shape, options);
}

/** Uniform values in [low, high) drawn from `rng`. */
export function rand(shape: Shape, rng: Rng, options: CreateOptions & { low?: number; high?: number } = {}): Tensor {
  const data = rng.fillUniform(new Float32Array(sizeOf(shape)), options.low ?? 0, options.high ?? 1);
  return tensor(data, shape, options);
}

/** 0, 1, …, n-1. */
export function arange(n: number, options: CreateOptions = {}): Tensor {
  const data = allocate(options.dtype ?? 'int32', n);
  for (let i = 0; i < n; i++) data[i] = i;
  return tensor(data, [n], { dtype: options.dtype ?? 'int32', ...(options.engine ? { engine: options.engine } : {}) });
}
