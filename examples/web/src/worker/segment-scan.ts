import { OpenMindError, restoreCheckpoint, Rng } from '@openmind-ssl/core';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import {
  buildSegmentationNetwork, preprocessImage, restoreGeometry, type SegmentationModelConfig, slidingWindowPredict, type TileProgress,
} from '@openmind-ssl/task-segmentation/browser';
import type { FileBytes, SegmentReport } from '../protocol.js';
import { gpuMemoryHint } from './gpu-memory.js';
import { type LoadedScan, niftiLike } from './open-scan.js';
import { readCheckpointFiles } from './read-checkpoint.js';

/**
 * Segments the scan with a fine-tuned checkpoint as `openmind predict` does: the plan stored in the
 * checkpoint preprocesses the scan (crop, z-score, resample), the network it describes is rebuilt and
 * loaded strictly, nnU-Net's sliding window predicts the logits, and they go back to the scan's grid.
 * @throws OpenMindError for a checkpoint without a segmentation plan, one for another channel count, weights
 *   that do not fit the network, or a GPU that runs out of memory.
 */
export async function segmentScan(scan: LoadedScan, files: readonly FileBytes[], mirroring: boolean, onTile: (p: TileProgress) => void): Promise<SegmentReport> {
  const ckpt = readCheckpointFiles(files);
  const config = ckpt.state.config as Partial<SegmentationModelConfig>;
  const plan = config.segmentationPlan;
  if (!plan) throw new OpenMindError(`${ckpt.dir}: not a fine-tuned segmentation checkpoint (its checkpoint.json has no config.segmentationPlan); pick checkpoint_final/ of an \`openmind finetune\` run.`);
  const channels = plan.channelNames.length;
  if (scan.shape[0] !== channels) {
    throw new OpenMindError(`${ckpt.dir}: the checkpoint segments ${channels}-channel input (${plan.channelNames.join(', ')}), but "${scan.name}" has ${scan.shape[0]} channel(s).`);
  }
  const started = performance.now();
  const { network } = buildSegmentationNetwork(plan, [resencFactory], { rng: new Rng(0), deepSupervision: config.deepSupervision ?? false });
  try {
    restoreCheckpoint(ckpt, network);
    network.eval();
    const pre = preprocessImage({
      id: scan.name, image: scan.data, shape: scan.shape, label: null, spacing: scan.spacing, affine: scan.image.affine,
      fileShape: scan.image.shape.slice(0, 3) as [number, number, number],
    }, plan);
    let tiles = 0;
    const logits = await slidingWindowPredict(pre.image, pre.shape, (x) => network.forward(x), {
      patchSize: plan.patchSize,
      mirrorAxes: mirroring ? [0, 1, 2] : [],
      onTile: (p) => {
        tiles = p.total;
        onTile(p);
      },
    }).catch((e: unknown) => {
      throw gpuMemoryHint(e, `the sliding window with patch [${plan.patchSize.join(', ')}]`);
    });
    const restored = restoreGeometry(logits, pre.geometry, plan.spacing, false);
    const counts = new Array<number>(plan.numClasses).fill(0);
    for (const v of restored.segmentation) counts[v]! += 1;
    return {
      labels: niftiLike(scan.image, restored.segmentation),
      logits: logits.logits,
      logitShape: [...logits.shape],
      counts,
      tiles,
      seconds: (performance.now() - started) / 1000,
      backend: network.parameters()[0]!.engine.backend.name,
    };
  } finally {
    network.dispose();
  }
}
