import { zeros } from '../ops/create.js';
import type { Rng } from '../random/rng.js';
import { kaimingNormal } from './init.js';
import { Conv3d, ConvTranspose3d } from './layers/conv3d.js';
import type { Module } from './module.js';

/**
 * nnU-Net's InitWeights_He: every Conv3d and ConvTranspose3d gets kaiming-normal weights
 * (leaky-ReLU slope `negativeSlope`) and zero biases.
 */
export function heInit(root: Module, rng: Rng, negativeSlope = 1e-2): void {
  for (const [, m] of root.namedModules()) {
    if (!(m instanceof Conv3d || m instanceof ConvTranspose3d)) continue;
    m.weight.assign(kaimingNormal(m.weight.shape, rng, negativeSlope));
    m.bias?.assign(zeros(m.bias.shape));
  }
}
