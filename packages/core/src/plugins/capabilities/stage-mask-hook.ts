import type { Tensor } from '../../tensor/tensor.js';

/**
 * Called by an encoder after each of its stages with that stage's output; what it returns replaces the
 * output: it is that stage's feature map and the next stage's input. SparK re-applies its mask here, so
 * hidden voxels stay zero all the way down the encoder (nnssl-spec §3.2).
 * @param stage 0 for the first (finest) stage
 * @param features [N, featureChannels[stage], …] the stage's output
 */
export type StageMaskHook = (stage: number, features: Tensor) => Tensor;

/** An encoder that calls a StageMaskHook after every stage (the ResEnc U-Net has it). */
export interface StageHookEncoder {
  /**
   * As `encode`, calling `afterStage` once per stage in order, and continuing from what it returns.
   * @returns the hooked feature map of every stage, finest first
   */
  encodeWithStageHook(x: Tensor, afterStage: StageMaskHook): Tensor[];
}

/** Whether `net` accepts a StageMaskHook (checks the member, not a tag). */
export function acceptsStageHook(net: unknown): net is StageHookEncoder {
  return typeof (net as Partial<StageHookEncoder> | null | undefined)?.encodeWithStageHook === 'function';
}
