// One segmentation fine-tuning step as nnU-Net's trainer runs it (issue #20, item 4): ResEnc with deep
// supervision (He init), 2 classes, Dice (no background, per sample, smooth 1e-5) + CE at every decoder
// resolution with weights 1, ½, ¼ … and the lowest 0, normalised; labels downsampled by nearest
// neighbour inside the step; SGD lr 1e-2, momentum 0.99 Nesterov, wd 3e-5; clip 12.
// Reference: bench/train_step_finetune_ref.py.
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { type HostBatch, Rng, SGD } from '@openmind-ssl/core';
import { deepSupervisionLoss, deepSupervisionWeights, diceCeLoss, forwardBatch } from '@openmind-ssl/task-segmentation';
import { type MethodRow, normalValues, voxels } from './method-row.js';

const CLASSES = 2;
const LABELS = 'segmentation';

export const finetuneRow: MethodRow = {
  name: 'finetune', preset: 'resenc-small', size: 64, batch: 2, reference: 'train_step_finetune_ref.py',
  describe: `segmentation fine-tuning, ${CLASSES} classes: ResEnc with deep supervision, Dice + CE (nnU-Net), SGD 1e-2 Nesterov, clip 12`,
  async setup({ preset, size, batch }) {
    const patch: [number, number, number] = [size, size, size];
    const network = resencFactory.create(preset, { inChannels: 1, outChannels: CLASSES, patchSize: patch, rng: new Rng(0), deepSupervision: true, init: 'he' });
    const shape: [number, number, number, number, number] = [batch, 1, size, size, size];
    const loss = (b: HostBatch) => {
      const label = Int16Array.from(b.labels![LABELS]!.data);
      const fwd = forwardBatch(network, { image: b.image, label, shape }, true);
      return deepSupervisionLoss(fwd.outputs, fwd.targets, deepSupervisionWeights(fwd.outputs.length), (o, t) => diceCeLoss(o, t, { batchDice: false }));
    };
    return {
      method: { loss },
      recipe: { optimizer: new SGD(network.parameters(), { lr: 1e-2, momentum: 0.99, nesterov: true, weightDecay: 3e-5 }), gradClip: 12 },
      params: network.parameters(), parameterCount: network.parameterCount(),
      batch: (s) => {
        const image = normalValues(batch * voxels(size), s);
        // About 30 % foreground, scattered: every class present in every sample and at every resolution.
        const label = Int32Array.from(image, (v) => (v > 0.5 ? 1 : 0));
        return { image, shape, labels: { [LABELS]: { data: label, shape } } };
      },
    };
  },
};
