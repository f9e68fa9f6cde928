import { type AdaptationPlan, type Architecture, type ArchitectureFactory, isTokenNetwork, OpenMindError, pytorchKeysOf } from '@openmind-ssl/core';
import { adaptPretrainedWeights, type AdaptReport } from '../nnssl/adapt-pretrained-weights.js';
import type { Grid3 } from '../nnssl/resize-position-embedding.js';
import type { PretrainedCheckpoint } from './read-pretrained-checkpoint.js';

/** What {@link loadPretrainedEncoder} did. */
export interface PretrainedLoad {
  report: AdaptReport;
  /** The downstream data has more channels than pre-training: the input projection was repeated (Sawtooth then trains it with the decoder). */
  inChannelMismatch: boolean;
  /** The position embedding was resized to the downstream token grid. */
  positionEmbeddingResized: boolean;
}

/**
 * The patch the checkpoint was pre-trained at: the plan's `pretrain_patch_size` override (the fork's hook
 * for VoCo), else the patch of the pretrain plan's one configuration.
 */
export function pretrainPatchSize(plan: AdaptationPlan): [number, number, number] | undefined {
  const override = (plan as unknown as Record<string, unknown>)['pretrain_patch_size'];
  if (Array.isArray(override) && override.length === 3) return override as [number, number, number];
  const configurations = plan.pretrain_plan['configurations'] as Record<string, { patch_size?: number[] }> | undefined;
  const first = configurations ? Object.values(configurations)[0] : undefined;
  return first?.patch_size?.length === 3 ? (first.patch_size as [number, number, number]) : undefined;
}

/**
 * Loads the encoder and stem of a pre-trained checkpoint into a downstream network, strictly by the
 * checkpoint's adaptation plan (key_to_encoder, key_to_stem, keys_to_in_proj, key_to_lpe), as nnU-Net's
 * PretrainedTrainer does (finetune-spec §1.4): every key under those prefixes must exist in both with
 * the same shape; decoder and segmentation layers keep their initialisation. More input channels than
 * pre-training: the input projection is repeated over the channels and divided by their count. A token
 * network whose patch differs from pre-training gets its position embedding resized trilinearly.
 * Nothing is written unless everything fits.
 * @param factory the network's architecture factory: its PyTorch key mapping folds DNA alias keys of .pth files
 * @throws OpenMindError listing every missing, unexpected and mis-shaped key.
 */
export function loadPretrainedEncoder(network: Architecture, checkpoint: PretrainedCheckpoint, factory: ArchitectureFactory): PretrainedLoad {
  const plan = checkpoint.plan;
  let positionEmbedding: { sourceGrid: Grid3; targetGrid: Grid3 } | undefined;
  if (plan.key_to_lpe && isTokenNetwork(network)) {
    const patch = pretrainPatchSize(plan);
    if (!patch) throw new OpenMindError(`${checkpoint.source}: the adaptation plan names a position embedding ('${plan.key_to_lpe}') but no pre-training patch size (pretrain_plan.configurations.*.patch_size).`);
    const sourceGrid = patch.map((p, i) => p / network.tokenPatch[i]!) as unknown as Grid3;
    if (sourceGrid.some((g) => !Number.isInteger(g))) throw new OpenMindError(`${checkpoint.source}: pre-training patch [${patch.join(', ')}] is not a multiple of the token size [${network.tokenPatch.join(', ')}].`);
    positionEmbedding = { sourceGrid, targetGrid: network.tokenGrid };
  }
  const report = adaptPretrainedWeights(network, checkpoint.weights, {
    mode: 'encoder', plan, mapping: pytorchKeysOf(factory), source: checkpoint.source, ...(positionEmbedding ? { positionEmbedding } : {}),
  });
  const inChannels = (network as unknown as { inChannels?: number }).inChannels;
  return {
    report,
    inChannelMismatch: inChannels !== undefined && inChannels > plan.pretrain_num_input_channels,
    positionEmbeddingResized: report.transformed.some((t) => t.how.startsWith('position embedding')),
  };
}
