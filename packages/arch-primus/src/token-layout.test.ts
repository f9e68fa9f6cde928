import { setBackend, tensor } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { tokenFlagsToVoxels, tokenIndex, tokensToVolume, volumeToTokens } from './token-layout.js';

setBackend(new ReferenceBackend());

describe('token layout', () => {
  // A 2-channel [2, 3, 4] feature volume whose value is 100·channel + (row-major voxel index).
  const grid = [2, 3, 4] as const;
  const volume = tensor(Float32Array.from({ length: 2 * 24 }, (_, i) => 100 * Math.floor(i / 24) + (i % 24)), [1, 2, ...grid]);

  describe('volumeToTokens', () => {
    it('should number tokens row-major over (d, h, w): token (i_d·H′ + i_h)·W′ + i_w holds that voxel', async () => {
      const tokens = await volumeToTokens(volume).floats();
      for (const [id, ih, iw] of [[0, 0, 1], [0, 2, 0], [1, 0, 0], [1, 2, 3]] as const) {
        const t = tokenIndex(grid, id, ih, iw);
        expect(t).toBe((id * 3 + ih) * 4 + iw);
        expect([tokens[t * 2], tokens[t * 2 + 1]]).toEqual([t, 100 + t]);
      }
    });
  });

  describe('tokensToVolume', () => {
    it('should invert volumeToTokens', async () => {
      expect(await tokensToVolume(volumeToTokens(volume), grid).floats()).toEqual(await volume.floats());
    });

    it('should refuse tokens that do not fill the grid', () => {
      expect(() => tokensToVolume(tensor(new Float32Array(10), [1, 5, 2]), grid)).toThrow(/tokens must be \[N, 24, C\]/);
    });
  });

  describe('tokenFlagsToVoxels', () => {
    it('should give every voxel the flag of the token that covers it, per sample', () => {
      const g = [1, 2, 3] as const;
      const patch = [2, 1, 2] as const;
      const flags = Float32Array.from({ length: 12 }, (_, i) => i);
      const voxels = tokenFlagsToVoxels(flags, 2, g, patch);
      expect(voxels.length).toBe(2 * 2 * 2 * 6);
      for (let s = 0; s < 2; s++) for (let z = 0; z < 2; z++) for (let y = 0; y < 2; y++) for (let x = 0; x < 6; x++) {
        expect(voxels[((s * 2 + z) * 2 + y) * 6 + x]).toBe(s * 6 + tokenIndex(g, Math.floor(z / 2), y, Math.floor(x / 2)));
      }
    });
  });
});
