import type { Tensor } from '../../tensor/tensor.js';
import { Module, type LayerModule } from '../module.js';

/** Applies its children in order; they are named '0', '1', … as in PyTorch. */
export class Sequential extends Module {
  readonly layers: LayerModule[];
  constructor(...layers: LayerModule[]) {
    super();
    this.layers = layers.map((l, i) => this.child(String(i), l));
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const l of this.layers) y = l.forward(y);
    return y;
  }
}

/** A list of modules named '0', '1', … (no forward of its own). */
export class ModuleList<M extends Module = Module> extends Module {
  readonly items: M[] = [];
  constructor(modules: readonly M[] = []) {
    super();
    for (const m of modules) this.push(m);
  }

  push(m: M): M {
    this.items.push(this.child(String(this.items.length), m));
    return m;
  }

  get length(): number {
    return this.items.length;
  }

  at(i: number): M | undefined {
    return this.items.at(i);
  }

  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }
}
