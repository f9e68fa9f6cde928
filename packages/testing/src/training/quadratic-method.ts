import {
  AdamW, type AdaptationPlan, type BatchSource, type HostBatch, Module, SGD, type SSLMethod, type Tensor, tensor,
  type TrainingRecipe, type UpdateContext,
} from '@openmind-ssl/core';
import { type GroupParam, groupLoss, groupSchedule, type GroupTrajectory } from '../core/group-problem.js';

/** The three parameters of the optimizer-groups fixture as a module (state-dict keys p1, p2, p3). */
class QuadraticNet extends Module {
  readonly p: Record<GroupParam, Tensor>;

  constructor(t: GroupTrajectory) {
    super();
    const make = (k: GroupParam) => this.param(k, tensor(t.init[k].data, t.init[k].shape));
    this.p = { p1: make('p1'), p2: make('p2'), p3: make('p3') };
  }
}

/**
 * The fixture's 'phased' trajectory as an SSL method, one step per epoch: phase 'decoder' (epochs 0–3)
 * trains p2 and p3 with SGD while p1 is frozen; phase 'whole' (from epoch 4) starts a fresh AdamW over
 * groups 'enc' (p1) and 'dec' (p2, p3). The batch is ignored. `afterUpdate` records each hook call.
 */
export class PhasedQuadraticMethod implements SSLMethod {
  readonly id = 'phased-quadratic';
  readonly network: QuadraticNet;
  readonly constants: Record<string, Tensor>;
  readonly hookCalls: { step: number; epoch: number; optimizer: string }[] = [];

  constructor(private readonly t: GroupTrajectory, private readonly secondPhase: 'fresh' | 'keep' = 'fresh') {
    this.network = new QuadraticNet(t);
    this.constants = Object.fromEntries(Object.entries(t.constants).map(([k, v]) => [k, tensor(v.data, v.shape).keep()]));
  }

  loss(): Tensor {
    return groupLoss(this.network.p, this.constants);
  }

  recipe(): TrainingRecipe {
    const { p1, p2, p3 } = this.network.p;
    const schedule = groupSchedule(1e-3, 1e-2);
    return {
      phaseName: 'decoder',
      optimizer: new SGD([{ name: 'dec', params: [p2, p3] }], { lr: 1, momentum: 0.9, nesterov: true }),
      schedule,
      frozen: [p1],
      scheduleUnit: 'epoch',
      ...(this.t.clip !== null ? { gradClip: this.t.clip } : {}),
      phases: [{
        name: 'whole',
        startEpoch: 4,
        optimizer: this.secondPhase === 'keep' ? 'keep' : () => new AdamW([
          { name: 'enc', params: [p1], weightDecay: 5e-2 },
          { name: 'dec', params: [p2, p3], weightDecay: 0 },
        ], { lr: 1, betas: [0.9, 0.98] }),
        schedule,
      }],
      afterUpdate: (u: UpdateContext) => void this.hookCalls.push({ step: u.step, epoch: u.epoch, optimizer: u.optimizer.constructor.name }),
    };
  }

  adaptationPlan(): AdaptationPlan {
    return {
      architecture_plans: { arch_class_name: 'QuadraticNet', arch_kwargs: null, arch_kwargs_requiring_import: null },
      pretrain_plan: {},
      pretrain_num_input_channels: 1,
      recommended_downstream_patchsize: [1, 1, 1],
      key_to_encoder: 'p1',
      key_to_stem: 'p1',
      keys_to_in_proj: ['p1'],
    };
  }
}

/** Empty batches; with `failAt`, the source throws when asked for that step's batch (a crash after failAt steps). */
export function quadraticBatches(failAt?: number): BatchSource {
  return {
    async *batches(fromStep: number) {
      for (let step = fromStep; ; step++) {
        if (step === failAt) throw new Error(`simulated crash before step ${step}`);
        const batch: HostBatch = { image: new Float32Array(1), shape: [1, 1, 1, 1, 1] };
        yield batch;
      }
    },
  };
}
