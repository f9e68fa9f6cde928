import { acceptsStageHook, hasEncoderFeatures, Rng, setBackend, type Tensor, tensor } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { RESENC_PRESETS } from './presets.js';
import { ResidualEncoderUNet } from './residual-encoder-unet.js';

setBackend(new ReferenceBackend());
const TINY = RESENC_PRESETS['resenc-tiny']!.config;

// A SparK-like mask: one 8³ block grid [2, 2, 2] of which blocks 0 and 5 are hidden, upsampled to a stage's size.
function blockMask(size: readonly number[]): Tensor {
  const [d, h, w] = size as [number, number, number];
  const hidden = new Set([0, 5]);
  const data = new Float32Array(d * h * w);
  for (let z = 0; z < d; z++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const block = (Math.floor((2 * z) / d) * 2 + Math.floor((2 * y) / h)) * 2 + Math.floor((2 * x) / w);
    data[(z * h + y) * w + x] = hidden.has(block) ? 0 : 1;
  }
  return tensor(data, [1, 1, d, h, w]);
}

describe('ResidualEncoderUNet as a StageHookEncoder', () => {
  const net = new ResidualEncoderUNet(TINY, { inChannels: 1, outChannels: 1, rng: new Rng(0) });
  const x = tensor(new Rng(4).fillNormal(new Float32Array(16 ** 3)), [1, 1, 16, 16, 16]);

  it("should be recognised by core's guards, with per-stage channels and total strides", () => {
    expect(acceptsStageHook(net)).toBe(true);
    expect(hasEncoderFeatures(net)).toBe(true);
    expect(net.featureChannels).toEqual([8, 16, 32, 64]);
    expect(net.featureStrides).toEqual([[1, 1, 1], [2, 2, 2], [4, 4, 4], [8, 8, 8]]);
  });

  it('should call the hook once per stage, in order, with that stage\'s [N, C, …] output', () => {
    const calls: [number, number[]][] = [];
    net.encodeWithStageHook(x, (stage, f) => {
      calls.push([stage, [...f.shape]]);
      return f;
    });
    expect(calls).toEqual([[0, [1, 8, 16, 16, 16]], [1, [1, 16, 8, 8, 8]], [2, [1, 32, 4, 4, 4]], [3, [1, 64, 2, 2, 2]]]);
  });

  it('should return the hooked maps and feed each one to the next stage (masked voxels stay zero)', async () => {
    const seen: Tensor[] = [];
    const features = net.encodeWithStageHook(x, (_stage, f) => {
      const masked = f.mul(blockMask(f.shape.slice(2)));
      seen.push(masked);
      return masked;
    });
    expect(features).toEqual(seen);
    const stages = net.encoder.stages.layers;
    for (let s = 1; s < stages.length; s++) {
      // The next stage run on the hooked map, then masked again, is exactly the returned map.
      const expected = stages[s]!.forward(features[s - 1]!).mul(blockMask(features[s]!.shape.slice(2)));
      expect(Array.from(await features[s]!.data())).toEqual(Array.from(await expected.data()));
    }
    // Without the hook the hidden blocks are not zero, so the hook is what changed them.
    const plain = await net.encode(x)[0]!.data();
    const mask = await blockMask([16, 16, 16]).data();
    const hiddenValues = (v: ArrayLike<number>) => Array.from({ length: 16 ** 3 }, (_, i) => (mask[i] === 0 ? Math.abs(v[i]!) : 0));
    expect(Math.max(...hiddenValues(plain))).toBeGreaterThan(0);
    const f0 = await features[0]!.data();
    expect(Array.from({ length: 8 }, (_, c) => Math.max(...hiddenValues(f0.subarray(c * 16 ** 3, (c + 1) * 16 ** 3))))).toEqual(Array(8).fill(0));
  });
});
