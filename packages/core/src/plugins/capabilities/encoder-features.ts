import type { Tensor } from '../../tensor/tensor.js';

/** A size per spatial axis, ordered [d, h, w]. */
export type Triple3 = readonly [number, number, number];

/**
 * A network that exposes its encoder's feature maps, one per stage (contrastive heads, SparK's
 * densify step, segmentation decoders of other designs). Every `Architecture` has it; the interface is
 * separate so a method can ask for exactly this of any module.
 */
export interface EncoderFeatures {
  /**
   * Encoder feature maps, finest first, coarsest last.
   * @param x [N, inChannels, d, h, w]
   * @returns map s is [N, featureChannels[s], d / featureStrides[s][0], h / featureStrides[s][1], w / featureStrides[s][2]]
   */
  encode(x: Tensor): Tensor[];
  /** Channels of each `encode` output. */
  readonly featureChannels: readonly number[];
  /** Total stride of each `encode` output relative to the input, per axis [d, h, w]. */
  readonly featureStrides: readonly Triple3[];
}

/** Whether `net` exposes per-stage encoder features (checks the members, not a tag). */
export function hasEncoderFeatures(net: unknown): net is EncoderFeatures {
  const n = net as Partial<EncoderFeatures> | null | undefined;
  return typeof n?.encode === 'function' && Array.isArray(n.featureChannels) && Array.isArray(n.featureStrides);
}
