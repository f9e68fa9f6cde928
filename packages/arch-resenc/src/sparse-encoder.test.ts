import { type ActiveVoxels, decodesFeatures, encodesSparsely, ones, Rng, setBackend, type Tensor, tensor } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { RESENC_PRESETS } from './presets.js';
import { ResidualEncoderUNet } from './residual-encoder-unet.js';

setBackend(new ReferenceBackend());
const TINY = RESENC_PRESETS['resenc-tiny']!.config;

// A SparK-like mask on a [2, 2, 2] cell grid, cells 0 and 5 hidden, at any size of at least the grid;
// dense (undefined) below it, as nnssl does for maps coarser than the grid.
const blocks: ActiveVoxels = {
  at(size) {
    const [d, h, w] = size as [number, number, number];
    if (d < 2) return undefined;
    const data = new Float32Array(d * h * w);
    for (let z = 0; z < d; z++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const cell = (Math.floor((2 * z) / d) * 2 + Math.floor((2 * y) / h)) * 2 + Math.floor((2 * x) / w);
      data[(z * h + y) * w + x] = cell === 0 || cell === 5 ? 0 : 1;
    }
    return tensor(data, [1, 1, d, h, w]);
  },
};
const allActive: ActiveVoxels = { at: (size) => ones([1, 1, ...size]) };

describe('ResidualEncoderUNet as a SparseEncoder and FeatureDecoder', () => {
  const net = new ResidualEncoderUNet(TINY, { inChannels: 1, outChannels: 1, rng: new Rng(0) });
  const x = tensor(new Rng(4).fillNormal(new Float32Array(16 ** 3)), [1, 1, 16, 16, 16]);

  it("should be recognised by core's guards", () => {
    expect(encodesSparsely(net)).toBe(true);
    expect(decodesFeatures(net)).toBe(true);
  });

  it('should keep every inactive voxel of every sparse stage at exactly 0, and the visible ones non-zero', async () => {
    const maps = net.encodeSparse(x.mul(blocks.at([16, 16, 16])!), blocks);
    expect(maps.map((m) => m.shape[2])).toEqual([16, 8, 4, 2]);
    for (const m of maps) {
      const mask = await blocks.at(m.shape.slice(2))!.floats();
      const v = await m.floats();
      const per = mask.length;
      for (let i = 0; i < v.length; i++) {
        if (mask[i % per] === 0) expect(v[i], `stage of size ${m.shape[2]}, voxel ${i}`).toBe(0);
      }
      expect(v.some((e, i) => mask[i % per] === 1 && e !== 0)).toBe(true);
    }
  });

  it('should equal the dense encoder when every voxel is active (the masked norm is the plain norm then)', async () => {
    const sparse = net.encodeSparse(x, allActive);
    const dense = net.encode(x);
    for (const [s, m] of sparse.entries()) {
      const a = await m.floats();
      const b = await dense[s]!.floats();
      expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeLessThan(1e-5);
    }
  });

  it('should differ from the dense encoder under a sparse mask, from the stem on (its norm leaves the hidden cells out)', async () => {
    const sparse = net.encodeSparse(x, blocks);
    const dense = net.encode(x);
    expect(Array.from(await sparse[0]!.floats())).not.toEqual(Array.from(await dense[0]!.floats()));
  });

  it('should decode supplied features with its own decoder: decodeFeatures(encode(x)) is forward(x)', async () => {
    const a = await net.decodeFeatures(net.encode(x)).floats();
    const b = await net.forward(x).floats();
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('should refuse maps of the wrong channels, naming what it expects', () => {
    const maps: Tensor[] = net.encode(x);
    expect(() => net.decodeFeatures(maps.slice(1))).toThrow(/decodeFeatures needs 4 maps \[N, C_s, …\] with C_s = \[8, 16, 32, 64\]/);
  });
});
