import { OpenMindError } from '../errors/openmind-error.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Parameters and persistent buffers by PyTorch-style dotted name. */
export type StateDict = Map<string, Tensor>;

/** What loadStateDict did. */
export interface LoadReport {
  loaded: string[];
  /** Keys of the dict the module has no slot for. */
  unexpected: string[];
  /** Slots of the module the dict did not fill. */
  missing: string[];
}

/**
 * A building block with named parameters, buffers and children. Names follow PyTorch attribute paths
 * (`encoder.stages.0.blocks.1.conv1.conv.weight`) so state dicts map 1:1 onto PyTorch checkpoints.
 * Subclasses register what they own with `param`, `buffer` and `child` in their constructor.
 */
export abstract class Module {
  training = true;
  private readonly ownParams = new Map<string, Tensor>();
  private readonly ownBuffers = new Map<string, { tensor: Tensor; persistent: boolean }>();
  private readonly children = new Map<string, Module>();

  /** Registers a trainable parameter (kept out of scopes, marked as needing a gradient). */
  protected param(name: string, t: Tensor): Tensor {
    this.checkName(name);
    t.keep().requireGrad(true);
    this.ownParams.set(name, t);
    return t;
  }

  /** Registers a buffer: state that is not trained; persistent buffers are part of the state dict. */
  protected buffer(name: string, t: Tensor, persistent = true): Tensor {
    this.checkName(name);
    this.ownBuffers.set(name, { tensor: t.keep(), persistent });
    return t;
  }

  /** Registers a child module under `name`. */
  protected child<M extends Module>(name: string, m: M): M {
    this.checkName(name);
    this.children.set(name, m);
    return m;
  }

  private checkName(name: string): void {
    if (!name || name.includes('.')) throw new OpenMindError(`module names must be non-empty without dots, got '${name}'`);
    if (this.ownParams.has(name) || this.ownBuffers.has(name) || this.children.has(name)) {
      throw new OpenMindError(`'${name}' is already registered on ${this.constructor.name}`);
    }
  }

  /** Direct children by name. */
  namedChildren(): [string, Module][] {
    return [...this.children];
  }

  /** Every module below (and including) this one, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, m] of this.children) out.push(...m.namedModules(prefix ? `${prefix}.${name}` : name));
    return out;
  }

  /** Every parameter with its dotted name, in registration order. */
  namedParameters(): [string, Tensor][] {
    return this.namedModules().flatMap(([p, m]) => [...m.ownParams].map(([n, t]) => [p ? `${p}.${n}` : n, t] as [string, Tensor]));
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  namedBuffers(onlyPersistent = false): [string, Tensor][] {
    return this.namedModules().flatMap(([p, m]) =>
      [...m.ownBuffers]
        .filter(([, b]) => !onlyPersistent || b.persistent)
        .map(([n, b]) => [p ? `${p}.${n}` : n, b.tensor] as [string, Tensor]),
    );
  }

  /** Number of parameter elements. */
  parameterCount(): number {
    return this.parameters().reduce((s, t) => s + t.size, 0);
  }

  /** Parameters and persistent buffers by dotted name (the tensors themselves, not copies). */
  stateDict(): StateDict {
    return new Map([...this.namedParameters(), ...this.namedBuffers(true)]);
  }

  /**
   * Copies values from `dict` into this module. Every shape and dtype is checked before anything is
   * written, so a failing load leaves the module untouched.
   * @throws OpenMindError naming the first mismatched key, or (strict) the missing and unexpected keys.
   */
  loadStateDict(dict: ReadonlyMap<string, Tensor>, options: { strict?: boolean } = {}): LoadReport {
    const own = this.stateDict();
    const missing = [...own.keys()].filter((k) => !dict.has(k));
    const unexpected = [...dict.keys()].filter((k) => !own.has(k));
    if ((options.strict ?? true) && (missing.length || unexpected.length)) {
      throw new OpenMindError(
        `loadStateDict: ${missing.length} missing key(s) [${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}]` +
          ` and ${unexpected.length} unexpected key(s) [${unexpected.slice(0, 5).join(', ')}${unexpected.length > 5 ? ', …' : ''}]`,
      );
    }
    const pairs: [string, Tensor, Tensor][] = [];
    for (const [k, target] of own) {
      const src = dict.get(k);
      if (!src) continue;
      if (!shapesEqual(src.shape, target.shape) || src.dtype !== target.dtype) {
        throw new OpenMindError(`loadStateDict: '${k}' has ${src.dtype}[${src.shape}], the module expects ${target.dtype}[${target.shape}]`);
      }
      if (src.engine !== target.engine) throw new OpenMindError(`loadStateDict: '${k}' lives on another backend`);
      pairs.push([k, target, src]);
    }
    for (const [, target, src] of pairs) target.assign(target.engine.noGrad(() => src.mul(1)));
    return { loaded: pairs.map(([k]) => k), unexpected, missing };
  }

  /** Sets training mode here and below (dropout and drop-path act only in training). */
  train(on = true): this {
    for (const [, m] of this.namedModules()) m.training = on;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Clears accumulated gradients. */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      p.grad?.dispose();
      p.grad = undefined;
    }
  }

  /** Frees every parameter and buffer. */
  dispose(): void {
    for (const [, t] of [...this.namedParameters(), ...this.namedBuffers()]) {
      t.grad?.dispose();
      t.dispose();
    }
  }
}

/** A module that maps one tensor to one tensor (what Sequential chains). */
export interface Layer {
  forward(x: Tensor): Tensor;
}

export type LayerModule = Module & Layer;
