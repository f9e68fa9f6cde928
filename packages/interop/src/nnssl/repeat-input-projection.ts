import { OpenMindError } from '@openmind-ssl/core';
import { float32Raw, rawValues, type RawTensor } from '../torch/raw-tensor.js';

/**
 * The input projection of a network pre-trained on one channel, for `inChannels` downstream channels:
 * the weight [C_out, 1, …kernel] is repeated along the in-channel axis and divided by `inChannels`
 * (nnU-Net's pretrained trainer), so an input that repeats one image on every channel gives the
 * pre-trained response.
 * @throws OpenMindError when the pre-trained weight has more than one input channel (the reference rule
 *   is defined for one only).
 */
export function repeatInputProjection(weight: RawTensor, inChannels: number, name: string): RawTensor {
  const [cOut, cIn, ...kernel] = weight.shape;
  if (weight.shape.length < 2 || cIn !== 1) {
    throw new OpenMindError(
      `${name}: pre-trained input projection [${weight.shape.join(', ')}] must have 1 input channel to be repeated to ${inChannels}; ` +
        `mapping ${cIn} pre-training channels onto ${inChannels} is not defined by nnssl's rule.`,
    );
  }
  const v = rawValues(weight);
  const per = kernel.reduce((a, b) => a * b, 1);
  const out = new Float64Array(cOut! * inChannels * per);
  for (let o = 0; o < cOut!; o++) {
    for (let c = 0; c < inChannels; c++) {
      for (let k = 0; k < per; k++) out[(o * inChannels + c) * per + k] = v[o * per + k]! / inChannels;
    }
  }
  return float32Raw(out, [cOut!, inChannels, ...kernel]);
}
