import type { Tensor } from '../../tensor/tensor.js';

/**
 * A U-Net whose decoder can be run on feature maps the caller supplies (SparK decodes its densified
 * encoder features; other methods may substitute or edit skips the same way).
 */
export interface FeatureDecoder {
  /**
   * The network's own decoder on `features`.
   * @param features one map per encoder stage, finest first, shaped as `encode` returns them
   * @returns full-resolution output [N, outChannels, D, H, W]
   * @throws OpenMindError when the network has no decoder or the maps do not fit it
   */
  decodeFeatures(features: readonly Tensor[]): Tensor;
}

/** Whether `net` decodes caller-supplied features (checks the member, not a tag). */
export function decodesFeatures(net: unknown): net is FeatureDecoder {
  return typeof (net as Partial<FeatureDecoder> | null | undefined)?.decodeFeatures === 'function';
}
