import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { createSslMethod, type HostBatch, Rng, setBackend } from '@openmind-ssl/core';
import { afterAll, describe, expect, it } from 'vitest';
import { BlockActiveVoxels, drawCellMask, type SparkMethod, sparkFactory } from '../src/index.js';

const backend = new OnnxRuntimeBackend({ spinning: false });
await backend.init();
setBackend(backend);
afterAll(() => backend.close());

// resenc-tiny at 16³ with 4³ cells of 4³ voxels (grid 4³, 75 % hidden): stages at 16³, 8³, 4³ are sparse,
// the 2³ bottleneck dense.
const patch = [16, 16, 16] as const;
const make = (maskInput: boolean) =>
  createSslMethod(sparkFactory, { config: { blockSize: 4, maskInput }, architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: patch, rng: new Rng(3) }) as SparkMethod;

function batches(active: BlockActiveVoxels): [HostBatch, HostBatch] {
  const n = 2;
  const image = new Rng(5).fillNormal(new Float32Array(n * 16 ** 3));
  const visible = active.voxels(patch);
  // The same image with every hidden voxel replaced by large values of its own.
  const perturbed = image.map((v, i) => (visible[i] ? v : 50 * Math.sin(i) + 20));
  const shape = [n, 1, ...patch] as unknown as HostBatch['shape'];
  return [{ image, shape }, { image: perturbed, shape }];
}

async function stageMaps(method: SparkMethod, batch: HostBatch, active: BlockActiveVoxels): Promise<Float32Array[]> {
  const { encoderInput } = method.reconstructWith(batch, active);
  return Promise.all(method.network.architecture.encodeSparse(encoderInput, active).map((m) => m.floats()));
}

/** Visible voxels of each stage map whose value changed between a and b. */
function changedVisible(a: Float32Array[], b: Float32Array[], active: BlockActiveVoxels, sizes: number[]): number[] {
  return a.map((m, s) => {
    const size = sizes[s]!;
    const mask = active.at([size, size, size]);
    const vis = mask ? active.voxels([size, size, size]) : undefined;
    const per = m.length / 2;
    let changed = 0;
    for (let i = 0; i < m.length; i++) {
      const sample = Math.floor(i / per);
      const voxel = (i % per) % size ** 3;
      const visible = vis ? vis[sample * size ** 3 + voxel] === 1 : true;
      if (visible && m[i] !== b[s]![i]) changed++;
    }
    return changed;
  });
}

describe('SparK: hidden input voxels and the encoder', () => {
  const active = new BlockActiveVoxels(drawCellMask(2, patch, 4, 0.75, new Rng(11)), [[2, 2, 2]]);
  const [plain, perturbed] = batches(active);
  const sizes = [16, 8, 4, 2];

  it('should never let a hidden input voxel change a visible feature of any encoder stage (input masked, the default)', async () => {
    const method = make(true);
    const a = await stageMaps(method, plain, active);
    const b = await stageMaps(method, perturbed, active);
    expect(changedVisible(a, b, active, sizes)).toEqual([0, 0, 0, 0]);
    // The reconstruction, too, depends on the visible voxels only.
    const ra = await method.reconstructWith(plain, active).output.floats();
    const rb = await method.reconstructWith(perturbed, active).output.floats();
    expect(Array.from(rb)).toEqual(Array.from(ra));
  }, 120_000);

  it("should leak hidden intensities into visible features with nnssl's unmasked stem (maskInput: false)", async () => {
    const method = make(false);
    const a = await stageMaps(method, plain, active);
    const b = await stageMaps(method, perturbed, active);
    const changed = changedVisible(a, b, active, sizes);
    expect(changed[0]).toBeGreaterThan(0);
  }, 120_000);

  it('should keep hidden voxels at 0 in every sparse stage and fill none at the dense bottleneck', async () => {
    const maps = await stageMaps(make(true), plain, active);
    for (const [s, m] of maps.entries()) {
      const size = sizes[s]!;
      const vis = size > 2 ? active.voxels([size, size, size]) : undefined;
      const per = m.length / 2;
      let hiddenNonZero = 0;
      for (let i = 0; i < m.length; i++) {
        const sample = Math.floor(i / per);
        if (vis && vis[sample * size ** 3 + ((i % per) % size ** 3)] === 0 && m[i] !== 0) hiddenNonZero++;
      }
      expect(hiddenNonZero, `stage ${s}`).toBe(0);
    }
    // The bottleneck is dense: no mask there, and every one of its voxels carries features.
    expect(active.at([2, 2, 2])).toBeUndefined();
    const bottleneck = maps[3]!;
    const voxels = 2 ** 3;
    for (let v = 0; v < 2 * voxels; v++) {
      const sample = Math.floor(v / voxels);
      let any = false;
      for (let c = 0; c < 64; c++) any ||= bottleneck[(sample * 64 + c) * voxels + (v % voxels)] !== 0;
      expect(any, `bottleneck voxel ${v}`).toBe(true);
    }
  }, 120_000);
});
