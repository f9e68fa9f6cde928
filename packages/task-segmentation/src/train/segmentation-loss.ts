import { type Architecture, tensor, type Tensor } from '@openmind-ssl/core';
import type { SegmentationBatch, SegmentationPlan } from '../contract.js';
import { deepSupervisionLoss, deepSupervisionWeights } from '../loss/deep-supervision.js';
import { diceCeLoss } from '../loss/dice-ce-loss.js';
import { downsampleLabels } from '../loss/downsample-labels.js';

/** The network's outputs for a batch and its labels at the matching resolutions, on the network's engine. */
export interface SegmentationForward {
  /** Logits per resolution, highest first (one entry without deep supervision). */
  outputs: Tensor[];
  /** [B, 1, …] int32 labels per output. */
  targets: Tensor[];
}

/**
 * Runs the network on a batch: with deep supervision every decoder resolution, with the labels
 * downsampled to each (nearest-exact, as batchgeneratorsv2); else the full-resolution output only.
 */
export function forwardBatch(network: Architecture, batch: SegmentationBatch, deepSupervision: boolean): SegmentationForward {
  const engine = network.parameters()[0]!.engine;
  const x = tensor(batch.image, batch.shape, { engine });
  const [b, , d, h, w] = batch.shape;
  const labelShape: [number, number, number, number, number] = [b, 1, d, h, w];
  const full = Int32Array.from(batch.label);
  if (!deepSupervision) return { outputs: [network.forward(x)], targets: [tensor(full, labelShape, { dtype: 'int32', engine })] };
  const outputs = (network as unknown as { forwardDeepSupervision(x: Tensor): Tensor[] }).forwardDeepSupervision(x);
  const targets = outputs.map((o) => {
    const scale = [o.shape[2]! / d, o.shape[3]! / h, o.shape[4]! / w] as const;
    const down = scale.every((s) => s === 1) ? { data: full, shape: labelShape } : downsampleLabels(full, labelShape, scale);
    return tensor(down.data, down.shape, { dtype: 'int32', engine });
  });
  return { outputs, targets };
}

/**
 * nnU-Net's training loss of a forward pass: Dice + CE with the plan's batch Dice and ignore label, wrapped
 * in deep supervision (weights 1/2^i, lowest resolution 0, normalised) when there are several outputs.
 */
export function segmentationLoss(forward: SegmentationForward, plan: SegmentationPlan): Tensor {
  const loss = (o: Tensor, t: Tensor) => diceCeLoss(o, t, { batchDice: plan.batchDice, ignoreLabel: plan.ignoreLabel });
  if (forward.outputs.length === 1) return loss(forward.outputs[0]!, forward.targets[0]!);
  return deepSupervisionLoss(forward.outputs, forward.targets, deepSupervisionWeights(forward.outputs.length), loss);
}
