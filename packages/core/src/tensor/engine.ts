import type { Backend, KernelHandle } from '../backend/backend.js';
import { OpenMindError } from '../errors/openmind-error.js';
import type { Tensor } from './tensor.js';

/**
 * The state shared by every tensor of one backend: the backend itself, the stack of disposal scopes,
 * whether gradients are being recorded, and a count of live tensors (for leak tests).
 */
export class Engine {
  /** Tensors created inside each open scope, innermost last. */
  private readonly scopes: Set<Tensor>[] = [];
  private gradDepth = 0;
  private nextId = 0;
  /** Number of tensors created and not yet disposed. */
  liveTensors = 0;

  constructor(readonly backend: Backend) {}

  get gradEnabled(): boolean {
    return this.gradDepth === 0;
  }

  /** Registers a new tensor with the innermost scope and returns its id. */
  register(t: Tensor): number {
    this.liveTensors++;
    this.scopes.at(-1)?.add(t);
    return this.nextId++;
  }

  unregister(t: Tensor, handle: KernelHandle): void {
    this.liveTensors--;
    this.scopes.at(-1)?.delete(t);
    this.backend.dispose(handle);
  }

  /** Removes a tensor from every open scope so it outlives them (parameters, gradients, results). */
  keep<T extends Tensor>(t: T): T {
    for (const s of this.scopes) s.delete(t);
    return t;
  }

  /**
   * Runs `fn` in a scope: every tensor created inside and not returned (directly, or in an array or
   * plain object) is disposed at the end. Returned tensors move to the enclosing scope.
   */
  tidy<T>(fn: () => T): T {
    const scope = new Set<Tensor>();
    this.scopes.push(scope);
    let result: T;
    try {
      result = fn();
    } finally {
      this.scopes.pop();
    }
    if (result instanceof Promise) {
      throw new OpenMindError('tidy: the function returned a Promise; tidy scopes must be synchronous');
    }
    const survivors = new Set<Tensor>();
    collectTensors(result, survivors);
    const parent = this.scopes.at(-1);
    for (const t of scope) {
      if (survivors.has(t)) parent?.add(t);
      else t.dispose();
    }
    return result;
  }

  /** Runs `fn` without recording gradients. */
  noGrad<T>(fn: () => T): T {
    this.gradDepth++;
    try {
      return fn();
    } finally {
      this.gradDepth--;
    }
  }
}

function collectTensors(value: unknown, out: Set<Tensor>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 4) return;
  if ('handle' in value && 'engine' in value && 'shape' in value) {
    out.add(value as Tensor);
    return;
  }
  if (Array.isArray(value)) for (const v of value) collectTensors(v, out, depth + 1);
  else if (Object.getPrototypeOf(value) === Object.prototype || value instanceof Map) {
    const values = value instanceof Map ? [...value.values()] : Object.values(value);
    for (const v of values) collectTensors(v, out, depth + 1);
  }
}
