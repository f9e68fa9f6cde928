import { type Engine, getEngine, OpenMindError, type Tensor, tensor } from '@openmind-ssl/core';
import type { Vec3 } from '../contract.js';
import { gaussianImportanceMap, type GaussianOptions } from './gaussian-importance.js';
import { flipSpatial, mirrorSubsets } from './mirror.js';
import { padVolume, paddingToPatch, unpadVolume } from './pad-to-patch.js';
import { tileGrid } from './tile-starts.js';

/** A segmentation network as the sliding window sees it: `[1, C, ...patch]` → `[1, K, ...patch]` logits. */
export type SegmentationNetworkFn = (patch: Tensor) => Tensor;

/** Where the sliding window is, reported after each tile. */
export interface TileProgress {
  /** Tiles done, 1-based. */
  done: number;
  total: number;
  /** Start of the tile just done (padded grid). */
  start: Vec3;
}

/** Options of {@link slidingWindowPredict}; the defaults are nnUNetPredictor's. */
export interface SlidingWindowOptions {
  /** Network input patch [D, H, W]. */
  patchSize: Vec3;
  /** Tile step as a fraction of the patch; 0.5. */
  step?: number;
  /** Spatial axes to mirror for test-time augmentation (every non-empty subset is run); [0, 1, 2]. [] turns it off. */
  mirrorAxes?: readonly number[];
  /** Gaussian weighting of each tile (true, nnU-Net's σ = patch/8, peak 10), its options, or false for uniform weights. */
  gaussian?: boolean | GaussianOptions;
  /** Called after every tile, for progress bars. */
  onTile?: (progress: TileProgress) => void;
  /** The backend engine the patches are uploaded to; the current one by default. */
  engine?: Engine;
}

/** Logits on the network's grid: `[K, D, H, W]` row-major float32. */
export interface VolumeLogits {
  logits: Float32Array;
  shape: [number, number, number, number];
}

/**
 * nnU-Net's sliding-window prediction (`predict_sliding_window_return_logits`): pad the image to at least
 * the patch, run the network on tiles whose starts step by half a patch, average each tile's logits over
 * the mirrored passes (every non-empty subset of the mirror axes, flipped back), weight them with the
 * Gaussian importance map, and divide the accumulated logits by the accumulated weights. With several
 * networks (folds) the logits are averaged over them. The padding is removed at the end.
 *
 * Tiles are streamed: one tile's patch and passes live on the backend at a time; the accumulators are
 * host float32 arrays (nnU-Net keeps fp16 buffers; float32 here, so long sums do not lose precision).
 *
 * @param image `[C, D, H, W]` float32, preprocessed (normalised, on the plan's spacing).
 * @throws OpenMindError when a network returns the wrong shape or a non-finite logit.
 * @see finetune-spec §1.9
 */
export async function slidingWindowPredict(
  image: Float32Array,
  shape: readonly [number, number, number, number],
  networks: SegmentationNetworkFn | readonly SegmentationNetworkFn[],
  options: SlidingWindowOptions,
): Promise<VolumeLogits> {
  const nets = typeof networks === 'function' ? [networks] : [...networks];
  if (nets.length === 0) throw new OpenMindError('sliding window: at least one network is needed.');
  const [C, ...spatial] = shape;
  if (image.length !== C * spatial[0]! * spatial[1]! * spatial[2]!) {
    throw new OpenMindError(`sliding window: the image must have ${C}·${spatial.join('·')} values for shape [${shape.join(', ')}], but got ${image.length}.`);
  }
  const patch = options.patchSize;
  const engine = options.engine ?? getEngine();
  const pads = paddingToPatch(spatial as Vec3, patch);
  const padded = padVolume(image, C, spatial as Vec3, pads);
  const tiles = tileGrid(padded.shape, patch, options.step ?? 0.5);
  const subsets = mirrorSubsets(options.mirrorAxes ?? [0, 1, 2]);
  const weights = options.gaussian === false
    ? new Float32Array(patch[0] * patch[1] * patch[2]).fill(1)
    : gaussianImportanceMap(patch, options.gaussian === true || options.gaussian === undefined ? {} : options.gaussian);

  const [D, H, W] = padded.shape;
  const patchVoxels = patch[0] * patch[1] * patch[2];
  const weightSum = new Float32Array(D * H * W);
  let logitSum: Float32Array | undefined;
  let K = 0;
  const input = new Float32Array(C * patchVoxels);
  for (let t = 0; t < tiles.length; t++) {
    const start = tiles[t]!;
    copyTile(padded.data, C, padded.shape, start, patch, input);
    const tile = await predictTile(engine, nets, subsets, input, [1, C, ...patch], start);
    if (!logitSum) {
      K = tile.length / patchVoxels;
      logitSum = new Float32Array(K * D * H * W);
    }
    accumulate(tile, K, weights, start, patch, padded.shape, logitSum, weightSum);
    options.onTile?.({ done: t + 1, total: tiles.length, start });
  }
  const volume = D * H * W;
  for (let k = 0; k < K; k++) {
    for (let v = 0; v < volume; v++) logitSum![k * volume + v]! /= weightSum[v]!;
  }
  const result = unpadVolume(logitSum!, K, padded.shape, pads);
  return { logits: result.data, shape: [K, ...result.shape] };
}

/** One tile: every network's mirror-averaged logits, averaged over networks; read back to the host. */
async function predictTile(
  engine: Engine,
  nets: readonly SegmentationNetworkFn[],
  subsets: readonly number[][],
  input: Float32Array,
  inputShape: number[],
  start: Vec3,
): Promise<Float32Array> {
  const passes = subsets.length + 1;
  const out = engine.noGrad(() => engine.tidy(() => {
    const x = tensor(input, inputShape, { engine });
    let total: Tensor | undefined;
    for (const net of nets) {
      // Each pass in its own scope, so an eager backend holds one pass's activations at a time.
      let sum = engine.tidy(() => checked(net(x), inputShape, start));
      for (const axes of subsets) {
        const next = engine.tidy(() => sum.add(flipSpatial(checked(net(flipSpatial(x, axes)), inputShape, start), axes)));
        sum.dispose();
        sum = next;
      }
      const mean = engine.tidy(() => sum.div(passes));
      sum.dispose();
      if (total) {
        const next = engine.tidy(() => total!.add(mean));
        total.dispose();
        mean.dispose();
        total = next;
      } else total = mean;
    }
    return nets.length === 1 ? total! : total!.div(nets.length);
  }));
  try {
    const host = await out.floats();
    for (let i = 0; i < host.length; i++) {
      if (!Number.isFinite(host[i])) {
        throw new OpenMindError(`sliding window: the network returned a non-finite logit (${host[i]}) in the tile at [${start.join(', ')}].`);
      }
    }
    return host;
  } finally {
    out.dispose();
  }
}

function checked(y: Tensor, inputShape: readonly number[], start: Vec3): Tensor {
  const ok = y.rank === 5 && y.shape[0] === 1 && y.shape.slice(2).every((s, i) => s === inputShape[2 + i]);
  if (!ok) {
    throw new OpenMindError(
      `sliding window: the network must map [${inputShape.join(', ')}] to [1, K, ${inputShape.slice(2).join(', ')}], but returned [${y.shape.join(', ')}] (tile at [${start.join(', ')}]).`,
    );
  }
  return y;
}

/** Copies the `[C, ...patch]` tile at `start` out of `[C, ...shape]` data. */
function copyTile(data: Float32Array, C: number, shape: Vec3, start: Vec3, patch: Vec3, out: Float32Array): void {
  const [, H, W] = shape;
  let o = 0;
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < patch[0]; i++) {
      for (let j = 0; j < patch[1]; j++) {
        const src = ((c * shape[0] + start[0] + i) * H + start[1] + j) * W + start[2];
        out.set(data.subarray(src, src + patch[2]), o);
        o += patch[2];
      }
    }
  }
}

/** logitSum[:, tile] += tile · g; weightSum[tile] += g. */
function accumulate(
  tile: Float32Array,
  K: number,
  g: Float32Array,
  start: Vec3,
  patch: Vec3,
  shape: Vec3,
  logitSum: Float32Array,
  weightSum: Float32Array,
): void {
  const [D, H, W] = shape;
  const volume = D * H * W;
  const patchVoxels = patch[0] * patch[1] * patch[2];
  for (let i = 0; i < patch[0]; i++) {
    for (let j = 0; j < patch[1]; j++) {
      const row = ((start[0] + i) * H + start[1] + j) * W + start[2];
      const local = (i * patch[1] + j) * patch[2];
      for (let l = 0; l < patch[2]; l++) weightSum[row + l]! += g[local + l]!;
      for (let k = 0; k < K; k++) {
        const dst = k * volume + row;
        const src = k * patchVoxels + local;
        for (let l = 0; l < patch[2]; l++) logitSum[dst + l]! += tile[src + l]! * g[local + l]!;
      }
    }
  }
}
