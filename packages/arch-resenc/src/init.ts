import { heInit, type Module, type Rng, zeros } from '@openmind-ssl/core';
import { BasicBlockD } from './basic-block-d.js';

/**
 * How the weights start.
 * - `pytorch`: PyTorch's layer defaults (kaiming-uniform a=√5 weights, uniform biases, norms 1/0). nnssl
 *   builds its pre-training ResEnc-L with `get_network_by_name`, which never calls `initialize`, so this
 *   is what pre-training starts from.
 * - `he`: DNA's `ResidualEncoderUNet.initialize` as nnU-Net applies it downstream (`allow_init=True`):
 *   InitWeights_He(1e-2) on every conv and transposed conv (kaiming-normal, zero bias), then
 *   init_last_bn_before_add_to_0 (each residual block's conv2.norm weight and bias set to 0, so every
 *   block starts as its skip path).
 */
export type ResEncInit = 'pytorch' | 'he';

/** Applies DNA's `initialize` (He init + zeroed last norm of each residual block) to `net` in place. */
export function applyHeInit(net: Module, rng: Rng): void {
  heInit(net, rng, 1e-2);
  for (const [, m] of net.namedModules()) {
    if (!(m instanceof BasicBlockD)) continue;
    const { weight, bias } = m.conv2.norm;
    weight?.assign(zeros(weight.shape));
    bias?.assign(zeros(bias.shape));
  }
}
