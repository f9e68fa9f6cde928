import type { SegmentationPlan } from '../contract.js';

/**
 * What an exported model must carry so another runtime can use it as we do: written as ONNX
 * `metadata_props` (string values, JSON where structured). Axis order is the network's: [D, H, W] after the
 * plan's transpose of the file's reversed axes; the input is z-scored per channel.
 */
export function segmentationExportMetadata(plan: SegmentationPlan): Record<string, string> {
  return {
    format: 'openmind-segmentation',
    input_layout: 'NCDHW',
    output: 'logits (softmax over axis 1 gives class probabilities; argmax gives the label)',
    patch_size: JSON.stringify(plan.patchSize),
    spacing: JSON.stringify(plan.spacing),
    transpose: JSON.stringify(plan.transpose),
    channel_names: JSON.stringify(plan.channelNames),
    normalization: JSON.stringify(plan.channelNames.map((name, c) => ({ channel: name, scheme: plan.normalization[c], maskedByNonzero: plan.useMaskForNorm[c] }))),
    labels: JSON.stringify(plan.labels),
    num_classes: String(plan.numClasses),
    ignore_label: JSON.stringify(plan.ignoreLabel),
    architecture: plan.adaptationPlan.architecture_plans.arch_class_name,
    sliding_window: JSON.stringify({ step: 0.5, gaussianSigmaScale: 1 / 8, gaussianPeak: 10, mirrorAxes: [0, 1, 2] }),
    segmentation_plan: JSON.stringify(plan),
  };
}
