import { ConvTranspose3d, GELU, type LayerModule, Module, type Rng, Sequential, type Tensor } from '@openmind-ssl/core';
import type { Triple } from './config.js';
import { LayerNormNd } from './layer-norm-nd.js';

/** NumPy's np.round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The channel widths and per-stage strides of DNA's PatchDecode. */
export interface PatchDecodePlan {
  /** [embedDim, c1, …, outChannels], one more entry than stages. */
  channels: number[];
  /** Kernel = stride of each transposed conv, first stage first. */
  strides: Triple[];
}

/**
 * DNA's PatchDecode layout: n = log2(max patch edge) stages, each doubling the axes whose remaining factor
 * is even; widths shrink geometrically by (embedDim / (2·out))^(1/n), rounded to multiples of 8 (at least
 * 8), the last forced to `outChannels`.
 */
export function patchDecodePlan(patch: Triple, embedDim: number, outChannels: number): PatchDecodePlan {
  const stages = Math.round(Math.log2(Math.max(...patch)));
  const strides: Triple[] = [];
  for (let n = 0; n < stages; n++) {
    const s = patch.map((p) => ((p / 2 ** n) % 2 === 0 ? 2 : 1));
    strides.push([s[0]!, s[1]!, s[2]!]);
  }
  strides.reverse();
  const dimRed = (embedDim / (2 * outChannels)) ** (1 / stages);
  const round8 = (v: number) => Math.trunc(Math.max(8, roundHalfEven((v + 1e-6) / 8) * 8));
  const channels = [embedDim, ...Array.from({ length: stages }, (_, x) => round8(embedDim / dimRed ** (x + 1)))];
  channels[stages] = outChannels;
  return { channels, strides };
}

/**
 * DNA's PatchDecode: `decode` = (n−1) × [ConvTranspose3d (kernel = stride) → LayerNormNd → GELU], then a
 * final ConvTranspose3d to the output channels. Keys `decode.{i}.0.*`, `decode.{i}.1.*`, `decode.{n−1}.*`.
 */
export class PatchDecode extends Module {
  readonly decode: Sequential;
  readonly plan: PatchDecodePlan;

  constructor(patch: Triple, embedDim: number, outChannels: number, rng: Rng) {
    super();
    this.plan = patchDecodePlan(patch, embedDim, outChannels);
    const { channels, strides } = this.plan;
    const stages: LayerModule[] = [];
    for (let s = 0; s < strides.length - 1; s++) {
      stages.push(new Sequential(
        new ConvTranspose3d(channels[s]!, channels[s + 1]!, strides[s]!, { stride: strides[s]!, rng }),
        new LayerNormNd(channels[s + 1]!),
        new GELU(),
      ));
    }
    const last = strides.length - 1;
    stages.push(new ConvTranspose3d(channels[last]!, channels[last + 1]!, strides[last]!, { stride: strides[last]!, rng }));
    this.decode = this.child('decode', new Sequential(...stages));
  }

  /** @param x [N, embedDim, D', H', W'] → [N, outChannels, D'·pd, H'·ph, W'·pw] */
  forward(x: Tensor): Tensor {
    return this.decode.forward(x);
  }
}
