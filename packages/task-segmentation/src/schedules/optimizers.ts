import { AdamW, SGD } from '@openmind-ssl/core';
import type { NamedGroup, OptimizerBuilder, OptimizerFamily } from './schedule-context.js';

/**
 * nnU-Net's optimizer for a family (finetune-spec §1.5, §1.7): SGD momentum 0.99, Nesterov, weight decay
 * 3e-5; or the fork's Primus AdamW, weight decay 5e-2, betas (0.9, 0.98). Empty groups are left out.
 */
export function optimizerBuilder(family: OptimizerFamily): OptimizerBuilder {
  return (groups: NamedGroup[]) => {
    const used = groups.filter((g) => g.params.length > 0).map((g) => ({ name: g.name, params: g.params }));
    return family === 'sgd'
      ? new SGD(used, { lr: 0, momentum: 0.99, nesterov: true, weightDecay: 3e-5 })
      : new AdamW(used, { lr: 0, weightDecay: 5e-2, betas: [0.9, 0.98] });
  };
}

/** Gradient-norm clip of a family: nnU-Net's 12 for SGD, the fork's 1 for Primus (finetune-spec §1.5). */
export function gradClipFor(family: OptimizerFamily): number {
  return family === 'sgd' ? 12 : 1;
}
