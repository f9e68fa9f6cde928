import { type AdaptationPlan, OpenMindError, type Rng } from '@openmind-ssl/core';
import { type ResEncInit, resEncConfigFromArchitecturePlans, ResidualEncoderUNet } from '@openmind-ssl/arch-resenc';

/** Options of `networkFromAdaptationPlan`. */
export interface NetworkFromPlanOptions {
  /** Default: the plan's pretrain_num_input_channels. */
  inChannels?: number;
  outChannels: number;
  rng: Rng;
  encoderOnly?: boolean;
  /** 'pytorch' (default) or 'he' (nnU-Net fine-tuning init). */
  init?: ResEncInit;
}

/**
 * Builds the network an adaptation plan describes, ready for `adaptPretrainedWeights`. Supported:
 * 'ResEncL' and dynamic 'ResidualEncoderUNet' plans (@openmind-ssl/arch-resenc).
 * @throws OpenMindError naming the arch_class_name for other architectures (Primus comes with its package).
 */
export function networkFromAdaptationPlan(plan: AdaptationPlan, options: NetworkFromPlanOptions): ResidualEncoderUNet {
  const name = plan.architecture_plans.arch_class_name.split('.').at(-1);
  if (name !== 'ResEncL' && name !== 'ResidualEncoderUNet') {
    throw new OpenMindError(`adaptation plan: architecture '${plan.architecture_plans.arch_class_name}' cannot be built here yet (supported: ResEncL, ResidualEncoderUNet).`);
  }
  const { config, archClassName } = resEncConfigFromArchitecturePlans(plan.architecture_plans);
  return new ResidualEncoderUNet(config, {
    inChannels: options.inChannels ?? plan.pretrain_num_input_channels,
    outChannels: options.outChannels,
    rng: options.rng,
    encoderOnly: options.encoderOnly ?? false,
    init: options.init ?? 'pytorch',
    archClassName,
  });
}
