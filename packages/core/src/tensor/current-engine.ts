import type { Backend } from '../backend/backend.js';
import { OpenMindError } from '../errors/openmind-error.js';
import { Engine } from './engine.js';

// The engine that factory functions (zeros, tensor, randn…) use when no tensor tells them which one.
// Ops on existing tensors always use the tensor's own engine, so several backends can live side by side.
let current: Engine | undefined;
const engines = new WeakMap<Backend, Engine>();

/** The engine of a backend (one per backend object). */
export function engineFor(backend: Backend): Engine {
  let e = engines.get(backend);
  if (!e) {
    e = new Engine(backend);
    engines.set(backend, e);
  }
  return e;
}

/** Makes `backend` the one new tensors are created on. The backend must be initialised. */
export function setBackend(backend: Backend): Engine {
  current = engineFor(backend);
  return current;
}

/** The engine new tensors are created on. */
export function getEngine(): Engine {
  if (!current) {
    throw new OpenMindError(
      'no backend selected: call setBackend(await selectBackend()) (or createRuntime) before creating tensors',
    );
  }
  return current;
}

/** Runs `fn` with `backend` as the current backend, then restores the previous one. */
export function withBackend<T>(backend: Backend, fn: () => T): T {
  const previous = current;
  current = engineFor(backend);
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/** Disposes every tensor created in `fn` that it does not return (see Engine.tidy). */
export function tidy<T>(fn: () => T): T {
  return getEngine().tidy(fn);
}

/** Runs `fn` without recording gradients. */
export function noGrad<T>(fn: () => T): T {
  return getEngine().noGrad(fn);
}
