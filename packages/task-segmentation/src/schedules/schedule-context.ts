import type { Optimizer, Tensor } from '@openmind-ssl/core';
import type { ParameterSplit } from './parameter-split.js';

/** The optimizer family a schedule uses: nnU-Net's SGD for CNNs, the fork's AdamW for Primus. */
export type OptimizerFamily = 'sgd' | 'adamw';

/** What every fine-tuning schedule is built from. */
export interface ScheduleContext {
  /** Total epochs of the run (1000 and 150 are the fork's variants; others scale the stages). */
  epochs: number;
  params: ParameterSplit;
  /** 'sgd' (ResEnc) or 'adamw' (Primus). */
  optimizer: OptimizerFamily;
  /** Pre-trained weights were loaded (false: --from-scratch, which uses the scratch learning rates). */
  pretrained: boolean;
  /** More input channels than pre-training: Sawtooth and Valley train the input projection with the decoder. */
  inChannelMismatch: boolean;
  /** Peak learning rate instead of the schedule's own. */
  lr?: number;
  /**
   * Sawtooth only: the fork's effective ResEnc behaviour, whose "decoder" phases train the whole network
   * (DNA's decoder holds the encoder as a submodule, so `decoder.parameters()` includes it).
   */
  forkSawtooth?: boolean;
}

/** A parameter group as the schedules name them. */
export interface NamedGroup {
  name: 'encoder' | 'decoder';
  params: Tensor[];
}

/** Builds an optimizer of a family over named groups (rates are set by the schedule before each step). */
export type OptimizerBuilder = (groups: NamedGroup[]) => Optimizer;
