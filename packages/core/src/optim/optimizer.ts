import { OpenMindError } from '../errors/openmind-error.js';
import { scalarInput } from '../ops/create.js';
import { where } from '../ops/elementwise.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * A set of parameters sharing hyper-parameters (e.g. encoder vs decoder when fine-tuning), as a PyTorch
 * param_group: each group has its own learning rate and weight decay; the other hyper-parameters
 * (momentum, betas, eps) are the optimizer's.
 */
export interface ParamGroup {
  /** Name used by schedules and checkpoints ('default' when there is one group, else 'group<i>'). */
  name: string;
  params: Tensor[];
  /**
   * Current learning rate; the trainer writes it from the recipe's schedule before every step. A group
   * at lr 0 is skipped whole (its momentum or moments are not advanced either, unlike PyTorch).
   */
  lr: number;
  weightDecay: number;
}

/** A group as given to an optimizer's constructor: lr and weightDecay default to the optimizer's options. */
export type ParamGroupInit = Partial<Omit<ParamGroup, 'params'>> & { params: Tensor[] };

/** Serializable optimizer state: per-parameter buffers by '<group>.<index>.<buffer>' plus counters. */
export interface OptimizerState {
  step: number;
  lrs: Record<string, number>;
  buffers: Map<string, Tensor>;
}

/**
 * Base of every optimizer: parameter groups, a step counter, per-parameter state buffers. Updates are
 * written with tensor ops and `assign`, so they run on any backend without reading values back; the
 * learning rate enters as run-time data, so a graph backend compiles the update once.
 */
export abstract class Optimizer {
  readonly groups: ParamGroup[];
  stepCount = 0;
  protected readonly state = new Map<Tensor, Map<string, Tensor>>();
  /** During step(): uint8 scalar, 1 = keep this step's update (see step's applyIf). */
  private applyIf: Tensor | undefined;
  /** During step() with applyIf: the gated coefficients made so far, by "keep/skip". */
  private readonly gated = new Map<string, Tensor>();

  constructor(params: Tensor[] | ParamGroupInit[], defaults: { lr: number; weightDecay: number }) {
    const inits: ParamGroupInit[] = params.length && 'params' in (params[0] as object) ? (params as ParamGroupInit[]) : [{ params: params as Tensor[] }];
    this.groups = inits.map((g, i) => ({
      name: g.name ?? (inits.length === 1 ? 'default' : `group${i}`),
      params: g.params,
      lr: g.lr ?? defaults.lr,
      weightDecay: g.weightDecay ?? defaults.weightDecay,
    }));
    const names = new Set(this.groups.map((g) => g.name));
    if (names.size !== this.groups.length) throw new OpenMindError('optimizer: parameter group names must be unique');
    const owner = new Map<Tensor, string>();
    for (const g of this.groups) g.params.forEach((p, i) => {
      const first = owner.get(p);
      if (first !== undefined) {
        throw new OpenMindError(`optimizer: parameter ${i} of group '${g.name}' is already in group '${first}'; a parameter belongs to one group`);
      }
      owner.set(p, g.name);
    });
  }

  /**
   * Applies one update from each parameter's `.grad`; parameters without a gradient are skipped.
   * With `applyIf` (a uint8 scalar tensor), the update is kept only where it is 1 — how the trainer drops
   * a step with a non-finite loss without reading the loss first. A dropped step is written into the
   * arithmetic rather than selected afterwards: the gradient is zeroed (one select per parameter), the
   * learning rate multiplied by applyIf, and subclasses take their decay coefficients from
   * `coefficient(keep, skip)`, so parameters and state come out unchanged without a select over each.
   *
   * With `chunkBytes`, the update is cut into chunks of about that many parameter bytes, with an
   * evaluation boundary (see `Backend.evaluationBoundary`) before the first and after each: a graph
   * backend then holds one chunk's old and new state at a time instead of the whole model's. Pass it
   * only once the forward pass's tensors are disposed (as `trainingStep` does), or they become outputs
   * of the first chunk's evaluation.
   */
  step(options: { applyIf?: Tensor; chunkBytes?: number } = {}): void {
    this.stepCount++;
    this.applyIf = options.applyIf;
    const backend = this.groups.find((g) => g.params.length > 0)?.params[0]!.engine.backend;
    const boundary = options.chunkBytes !== undefined && backend?.evaluationBoundary ? () => backend.evaluationBoundary!() : undefined;
    boundary?.();
    let chunk = 0;
    for (const group of this.groups) {
      if (group.lr === 0) continue;
      const engine = group.params[0]?.engine;
      if (!engine) continue;
      engine.tidy(() => {
        const applyIf = this.applyIf;
        const lr = applyIf ? scalarInput(group.lr, engine).mul(applyIf.cast('float32')) : scalarInput(group.lr, engine);
        for (const p of group.params) {
          if (!p.grad) continue;
          // Its own scope: at a boundary, only the parameters and state are live, not the update's temporaries.
          engine.tidy(() => this.update(p, applyIf ? where(applyIf, p.grad!, 0) : p.grad!, lr, group));
          chunk += p.size * 4;
          if (boundary && chunk >= options.chunkBytes!) {
            boundary();
            chunk = 0;
          }
        }
      });
    }
    if (chunk > 0) boundary?.();
    this.applyIf = undefined;
    for (const t of this.gated.values()) t.dispose();
    this.gated.clear();
  }

  /**
   * A coefficient of the update: `keep` for a kept step, `skip` for one that applyIf drops (chosen so that
   * the state is unchanged given a zero gradient, e.g. 1 for a decay factor, 0 for the gradient's
   * weight). A plain number when the step has no applyIf.
   */
  protected coefficient(keep: number, skip: number): Tensor | number {
    if (!this.applyIf) return keep;
    const key = `${keep}/${skip}`;
    let c = this.gated.get(key);
    if (!c) {
      c = where(this.applyIf, scalarInput(keep, this.applyIf.engine), skip).keep();
      this.gated.set(key, c);
    }
    return c;
  }

  /** Writes a parameter's new value. */
  protected commit(target: Tensor, value: Tensor): void {
    target.assign(value);
  }

  /**
   * Writes the new value of `p` (with `p.assign`) and updates its state buffers. When the step is
   * dropped, `grad` and `lr` are zero and `coefficient` gives the skip values: the update must then
   * leave `p` and its state as they are.
   */
  protected abstract update(p: Tensor, grad: Tensor, lr: Tensor, group: ParamGroup): void;

  protected buffers(p: Tensor): Map<string, Tensor> {
    let s = this.state.get(p);
    if (!s) {
      s = new Map();
      this.state.set(p, s);
    }
    return s;
  }

  /** Replaces a state buffer, keeping the new one alive across scopes. */
  protected setBuffer(p: Tensor, name: string, value: Tensor): void {
    const s = this.buffers(p);
    const old = s.get(name);
    if (old) this.commit(old, value);
    else s.set(name, value.keep());
  }

  zeroGrad(): void {
    for (const g of this.groups) for (const p of g.params) {
      p.grad?.dispose();
      p.grad = undefined;
    }
  }

  /** Releases the state buffers (momentum, moments); the optimizer starts from scratch if stepped again. */
  dispose(): void {
    for (const s of this.state.values()) for (const t of s.values()) t.dispose();
    this.state.clear();
    this.stepCount = 0;
  }

  stateDict(): OptimizerState {
    const buffers = new Map<string, Tensor>();
    for (const g of this.groups) g.params.forEach((p, i) => {
      for (const [name, t] of this.state.get(p) ?? []) buffers.set(`${g.name}.${i}.${name}`, t);
    });
    return { step: this.stepCount, lrs: Object.fromEntries(this.groups.map((g) => [g.name, g.lr])), buffers };
  }

  /**
   * Restores counters and buffers (copied onto the parameters' backend).
   * @throws OpenMindError when a buffer belongs to no parameter of this optimizer (state saved by an
   *   optimizer with other groups, e.g. another training phase); nothing is changed then.
   */
  loadStateDict(state: OptimizerState): void {
    for (const key of state.buffers.keys()) {
      const m = /^(.*)\.(\d+)\.[^.]+$/.exec(key);
      const group = m ? this.groups.find((g) => g.name === m[1]) : undefined;
      if (!group || Number(m![2]) >= group.params.length) {
        const have = this.groups.map((g) => `'${g.name}' (${g.params.length})`).join(', ');
        throw new OpenMindError(`optimizer state '${key}' matches no parameter of this optimizer, whose groups are ${have}`);
      }
    }
    this.stepCount = state.step;
    for (const g of this.groups) {
      if (state.lrs[g.name] !== undefined) g.lr = state.lrs[g.name]!;
      g.params.forEach((p, i) => {
        const prefix = `${g.name}.${i}.`;
        for (const [key, t] of state.buffers) {
          if (!key.startsWith(prefix)) continue;
          if (t.shape.join() !== p.shape.join()) {
            throw new OpenMindError(`optimizer state '${key}' has shape [${t.shape}], parameter has [${p.shape}]`);
          }
          this.setBuffer(p, key.slice(prefix.length), p.engine.noGrad(() => t.mul(1)));
        }
      });
    }
  }
}
