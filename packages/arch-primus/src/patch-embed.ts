import { Conv3d, Module, type Rng, type Tensor } from '@openmind-ssl/core';
import type { Triple } from './config.js';

/** DNA's PatchEmbed: one Conv3d `proj` with kernel = stride = the token size, no padding, with bias. */
export class PatchEmbed extends Module {
  readonly proj: Conv3d;

  constructor(patchEmbedSize: Triple, inChannels: number, embedDim: number, rng: Rng) {
    super();
    this.proj = this.child('proj', new Conv3d(inChannels, embedDim, patchEmbedSize, { stride: patchEmbedSize, rng }));
  }

  /** @param x [N, C, D, H, W] → [N, embedDim, D/pd, H/ph, W/pw] */
  forward(x: Tensor): Tensor {
    return this.proj.forward(x);
  }
}
