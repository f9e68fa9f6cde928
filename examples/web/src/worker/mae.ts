import {
  type AdaptationPlan, encodeSafetensors, getEngine, type HostTensor, OpenMindError, restoreCheckpoint, Rng, tensor, trainingStep,
} from '@openmind-ssl/core';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { batchMask, MaeMethod, maeConfigSchema, maskedMse } from '@openmind-ssl/ssl-mae';
import type { FileBytes, PretrainArgs, PretrainReport, ReconstructReport } from '../protocol.js';
import { gpuMemoryHint } from './gpu-memory.js';
import { type LoadedScan, niftiLike } from './open-scan.js';
import { readCheckpointFiles } from './read-checkpoint.js';
import { centredStart, cropCube, normalizeWithStats, normalizedScan, pasteCube, randomStart } from './scan-patches.js';

/** The network the page pre-trains: small enough for a software adapter, the same code as ResEnc-L. */
export const PRETRAIN_PRESET = 'resenc-tiny';
/** Mask cells of 8³ voxels: a 32³ patch has 64 of them, 75 % hidden (nnssl: 16³ cells of 160³ patches). */
export const PRETRAIN_BLOCK = 8;
/** The value drawn black inside an MAE overlay cube (see reconstructScan). */
export const VISIBLE_FLOOR = 1e-3;

/**
 * MAE pre-training on the open scan: random cubes of the z-scored scan, nnssl's block masking and masked
 * MSE (ssl-mae's MaeMethod), SGD with nnssl's momentum and clip, one step at a time so the page can draw
 * the loss and stop it. The learning rate is constant (a short live run; nnssl decays it per epoch).
 * @returns the losses and the network as a .safetensors carrying its adaptation plan, which
 *   `openmind finetune --pretrained` reads.
 */
export async function pretrainMae(scan: LoadedScan, args: PretrainArgs, onStep: (step: number, loss: number) => void, stopRequested: () => boolean): Promise<PretrainReport> {
  const patch: [number, number, number] = [args.patch, args.patch, args.patch];
  const rng = new Rng(args.seed);
  const config = maeConfigSchema.parse({ blockSize: PRETRAIN_BLOCK, lr: args.lr });
  const method = new MaeMethod({
    config, architecture: resencFactory, preset: PRETRAIN_PRESET, inChannels: scan.shape[0], patchSize: patch, rng: rng.fork(),
    pretrainPlan: { configurations: { browser: { spacing: [...scan.spacing], patch_size: patch } } },
  });
  const recipe = method.recipe({ epochs: 1 });
  const params = method.network.parameters();
  const volume = normalizedScan(scan);
  const C = scan.shape[0];
  const cube = C * args.patch ** 3;
  const losses: number[] = [];
  const started = performance.now();
  let stopped = false;
  try {
    for (let step = 0; step < args.steps; step++) {
      if (stopRequested()) {
        stopped = true;
        break;
      }
      const image = new Float32Array(args.batch * cube);
      for (let b = 0; b < args.batch; b++) cropCube(volume, scan.shape, randomStart(scan.shape, args.patch, rng), args.patch, image, b * cube);
      const loss = await trainingStep(method, recipe, { image, shape: [args.batch, C, ...patch] }, rng, params)
        .catch((e: unknown) => {
          throw gpuMemoryHint(e, `pre-training step ${step + 1} (batch ${args.batch} of ${args.patch}³)`);
        });
      if (!Number.isFinite(loss)) throw new OpenMindError(`pre-training diverged at step ${step + 1} (loss ${loss}); lower the learning rate.`);
      losses.push(loss);
      onStep(step + 1, loss);
    }
    const weights = new Map<string, HostTensor>();
    for (const [k, t] of method.network.stateDict()) weights.set(k, { dtype: t.dtype, shape: [...t.shape], data: await t.data() });
    const plan = method.adaptationPlan();
    const bytes = encodeSafetensors(weights, { format: 'pt', nnssl_adaptation_plan: JSON.stringify(plan) });
    return { losses, stopped, seconds: (performance.now() - started) / 1000, checkpoint: bytes.buffer as ArrayBuffer };
  } finally {
    method.network.dispose();
  }
}

/** The patch a pre-training plan trained on (its configuration's patch_size), else 32³. */
function trainedPatch(plan: AdaptationPlan): number {
  const configurations = (plan.pretrain_plan as { configurations?: Record<string, { patch_size?: number[] }> }).configurations ?? {};
  const size = Object.values(configurations)[0]?.patch_size;
  return size && size.every((s) => s === size[0]) ? size[0]! : 32;
}

/**
 * Masks a cube at the scan's centre as MAE training does and reconstructs it with a pre-trained network
 * (rebuilt from the checkpoint's adaptation plan, weights loaded strictly). The three volumes come back
 * on the scan's grid (zero outside the cube) for NiiVue overlays.
 * @throws OpenMindError for a checkpoint without an adaptation plan, or one for another channel count.
 */
export async function reconstructScan(scan: LoadedScan, files: readonly FileBytes[], seed: number): Promise<ReconstructReport> {
  const ckpt = readCheckpointFiles(files);
  const plan = ckpt.state.adaptationPlan as AdaptationPlan | undefined;
  if (!plan) throw new OpenMindError(`${ckpt.dir}: no adaptation plan (safetensors metadata 'nnssl_adaptation_plan' or checkpoint.json 'adaptationPlan'); it is not a pre-training checkpoint.`);
  const C = scan.shape[0];
  if (plan.pretrain_num_input_channels !== C) {
    throw new OpenMindError(`${ckpt.dir}: the network was pre-trained on ${plan.pretrain_num_input_channels}-channel input, but "${scan.name}" has ${C} channel(s).`);
  }
  const p = trainedPatch(plan);
  const patch: [number, number, number] = [p, p, p];
  const started = performance.now();
  const network = resencFactory.fromAdaptationPlan(plan, { inChannels: C, outChannels: C, patchSize: patch, rng: new Rng(0), deepSupervision: false });
  try {
    restoreCheckpoint(ckpt, network);
    network.eval();
    const start = centredStart(scan.shape, p);
    const input = new Float32Array(C * p ** 3);
    const { volume, mean, std } = normalizeWithStats(scan);
    cropCube(volume, scan.shape, start, p, input);
    const visible = batchMask(1, patch, PRETRAIN_BLOCK, 0.75, new Rng(seed));
    let read: { masked: Float32Array; output: Float32Array; mse: number };
    try {
      // Forward without a tape; the tensors are read back, then freed.
      const t = getEngine().noGrad(() => {
        const x = tensor(input, [1, C, ...patch]);
        const keep = tensor(visible, [1, 1, ...patch], { dtype: 'uint8' }).cast('float32');
        const corrupted = x.mul(keep);
        const y = network.forward(corrupted);
        const hidden = keep.neg().add(1);
        return { x, keep, corrupted, y, hidden, loss: maskedMse(y, x, hidden) };
      });
      try {
        read = { masked: await t.corrupted.floats(), output: await t.y.floats(), mse: await t.loss.item() };
      } finally {
        for (const v of Object.values(t)) v.dispose();
      }
    } catch (e) {
      throw gpuMemoryHint(e, `the reconstruction of a ${p}³ patch`);
    }
    const { masked, output, mse } = read;
    // Back to scan intensities, at least VISIBLE_FLOOR inside the cube: NiiVue draws overlay values below its
    // cal_min transparent, so the zeros outside the cube show the scan and every voxel inside is drawn.
    const first = (a: Float32Array) => a.subarray(0, p ** 3);
    const intensity = (v: number) => Math.max(VISIBLE_FLOOR, v * std + mean);
    const hiddenBlack = (v: number, i: number) => (visible[i] ? intensity(v) : VISIBLE_FLOOR);
    return {
      input: niftiLike(scan.image, pasteCube(first(input), scan.shape, start, p, intensity)),
      masked: niftiLike(scan.image, pasteCube(first(masked), scan.shape, start, p, hiddenBlack)),
      reconstruction: niftiLike(scan.image, pasteCube(first(output), scan.shape, start, p, intensity)),
      maskedMse: mse,
      patch: [...patch],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    network.dispose();
  }
}
