import { readFileSync } from 'node:fs';
import { createTfjsBackend } from '@openmind-ssl/backend-tfjs';
import { type Backend, conv3d, leakyRelu, type Tensor, tensor, withBackend } from '@openmind-ssl/core';
import { filledValues, maxRelativeError, ReferenceBackend, type ValueRecipe } from '@openmind-ssl/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vec3 } from '../contract.js';
import { slidingWindowPredict, type SegmentationNetworkFn, type TileProgress } from './sliding-window.js';

// Golden logits from test/fixtures/make_sliding_window.py: nnU-Net's procedure written from the spec in
// PyTorch, on a conv → leaky ReLU → conv network whose weights and images are det_values recipes.
interface Fixture {
  networks: Record<string, Record<'w1' | 'b1' | 'w2' | 'b2', ValueRecipe>>;
  cases: { name: string; image: ValueRecipe; patch: Vec3; mirror: boolean; networks: string[]; shape: number[]; logits: string }[];
}
const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/sliding-window.json', import.meta.url), 'utf8')) as Fixture;

function network(backend: Backend, label: string): SegmentationNetworkFn {
  const r = fixture.networks[label]!;
  const w = withBackend(backend, () => Object.fromEntries(
    Object.entries(r).map(([k, v]) => [k, tensor(filledValues(v), v.shape).keep()]),
  )) as Record<'w1' | 'b1' | 'w2' | 'b2', Tensor>;
  return (x) => conv3d(leakyRelu(conv3d(x, w.w1, w.b1, { padding: 1 }), 0.01), w.w2, w.b2, { padding: 1 });
}

function expected(b64: string): Float32Array {
  const bytes = Buffer.from(b64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

describe.each([
  ['reference', () => new ReferenceBackend() as Backend],
  ['tfjs', () => createTfjsBackend() as Backend],
])('slidingWindowPredict on %s', (_name, create) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = create();
    await backend.init?.();
  });
  afterAll(async () => {
    await backend.close?.();
  });

  for (const c of fixture.cases) {
    it(`should equal the PyTorch sliding window to 1e-4 relative (${c.name}, mirroring ${c.mirror ? 'on' : 'off'}, ${c.networks.length} network${c.networks.length > 1 ? 's' : ''})`, async () => {
      const nets = c.networks.map((l) => network(backend, l));
      const progress: TileProgress[] = [];
      const out = await withBackend(backend, () => slidingWindowPredict(filledValues(c.image), c.image.shape as [number, number, number, number], nets, {
        patchSize: c.patch,
        mirrorAxes: c.mirror ? [0, 1, 2] : [],
        onTile: (p) => progress.push(p),
      }));
      expect(out.shape).toEqual(c.shape);
      // |ours − torch| / max(|torch|, 0.01): the logits are O(1), and float32 sums of ~100 terms differ by
      // ~1e-7 absolute, which a smaller floor would turn into large "relative" errors near zero.
      expect(maxRelativeError(out.logits, expected(c.logits), 1e-2)).toBeLessThan(1e-4);
      expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);
      expect(progress.length).toBe(progress[0]!.total);
    }, 120_000);
  }

  it('should hold no tensors on the backend after a prediction beyond the network weights', async () => {
    const net = network(backend, 'a');
    const before = backend.memory().handles;
    await withBackend(backend, () => slidingWindowPredict(new Float32Array(2 * 6 * 6 * 6).fill(1), [2, 6, 6, 6], net, { patchSize: [4, 4, 4] }));
    expect(backend.memory().handles).toBe(before);
  });

  it('should name the tile and the shapes when the network returns the wrong shape', async () => {
    const bad: SegmentationNetworkFn = (x) => x.slice([0, 0, 0, 0, 0], [1, 1, 2, 4, 4]);
    await expect(withBackend(backend, () => slidingWindowPredict(new Float32Array(4 ** 3), [1, 4, 4, 4], bad, { patchSize: [4, 4, 4] })))
      .rejects.toThrow(/must map \[1, 1, 4, 4, 4\] to \[1, K, 4, 4, 4\], but returned \[1, 1, 2, 4, 4\] \(tile at \[0, 0, 0\]\)/);
  });
});
