import { ContainerModule } from 'inversify';
import {
  CORE_API_VERSION, definePlugin, type DownstreamNetwork, OpenMindError, type Task, type TaskContext, type TaskFactory, TaskId, type TaskMetrics, type Tensor,
} from '@openmind-ssl/core';
import { z } from 'zod';
import type { SegmentationPlan } from './contract.js';
import { openSegmentationDataset } from './dataset/open-dataset.js';
import { segmentationTaskDataset } from './dataset/task-dataset.js';
import { diceCeLoss } from './loss/dice-ce-loss.js';
import { FINE_TUNE_SCHEDULE_NAMES } from './schedules/fine-tune-schedules.js';
import { addDiceCounts, emptyCounts, nanMean, pseudoDice } from './train/pseudo-dice.js';

/** The segmentation task's options (the host validates them with this schema). */
export const segmentationConfigSchema = z.object({
  /** Fine-tuning schedule. */
  schedule: z.enum(FINE_TUNE_SCHEDULE_NAMES as [string, ...string[]]).default('warm-up'),
  /** Dice over the whole batch (nnU-Net's batch_dice) instead of per sample. */
  batchDice: z.boolean().default(false),
  /** The label value neither trained nor scored (dataset.json's "ignore"), if any. */
  ignoreLabel: z.number().int().nonnegative().nullable().default(null),
  /** The fork's effective ResEnc Sawtooth (its "decoder" phases train the whole network). */
  forkSawtooth: z.boolean().default(false),
}).strict();

export type SegmentationConfig = z.infer<typeof segmentationConfigSchema>;

/** Online pseudo-Dice metrics of a task (nnU-Net's validation counts; field names `dice_<class>`, `mean_fg_dice`). */
function pseudoDiceMetrics(classes: number, ignoreLabel: number | null): TaskMetrics {
  const counts = emptyCounts(classes);
  return {
    async update(output: Tensor, target: Tensor) {
      await addDiceCounts(counts, output, target.rank === output.rank ? target : target.reshape([target.shape[0]!, 1, ...target.shape.slice(1)]), ignoreLabel);
    },
    compute() {
      const dice = pseudoDice(counts);
      return { ...Object.fromEntries(dice.map((d, i) => [`dice_${i + 1}`, d])), mean_fg_dice: nanMean(dice) };
    },
  };
}

/**
 * The segmentation task: a network from the adaptation plan with the dataset's channels and classes
 * (the plan's architecture, via `context.architecture`), nnU-Net's Dice + CE, the online pseudo-Dice.
 * Fine-tuning runs (schedules, checkpoints, preprocessing) use the package's FineTuneTrainer and the
 * `openmind finetune` command.
 */
export const segmentationTaskFactory: TaskFactory<SegmentationConfig> = {
  id: 'segmentation',
  configSchema: segmentationConfigSchema as unknown as TaskFactory<SegmentationConfig>['configSchema'],
  async openDataset(location: string) {
    return segmentationTaskDataset(await openSegmentationDataset(location));
  },
  create(context: TaskContext<SegmentationConfig>): Task {
    const { config, dataset } = context;
    const factory = context.architecture as typeof context.architecture & { fromAdaptationPlan?: SegmentationPlanBuilder };
    if (typeof factory.fromAdaptationPlan !== 'function') {
      throw new OpenMindError(`segmentation task: architecture '${context.architecture.name}' cannot build a network from an adaptation plan (no fromAdaptationPlan).`);
    }
    const network = factory.fromAdaptationPlan(context.plan, {
      inChannels: dataset.inChannels, outChannels: dataset.outputs, patchSize: context.patchSize, rng: context.rng, ...({ init: 'he' } as object),
    }) as DownstreamNetwork;
    return {
      id: 'segmentation',
      network,
      loss: (output, target) => diceCeLoss(output, target.rank === output.rank ? target : target.reshape([target.shape[0]!, 1, ...target.shape.slice(1)]), {
        batchDice: config.batchDice, ignoreLabel: config.ignoreLabel,
      }),
      metrics: () => pseudoDiceMetrics(dataset.outputs, config.ignoreLabel),
    };
  },
};

type SegmentationPlanBuilder = (plan: SegmentationPlan['adaptationPlan'], options: Record<string, unknown>) => unknown;

/** The plugin: binds the segmentation task under core's TaskId, named 'segmentation'. */
export const segmentationPlugin = definePlugin({
  meta: { name: 'segmentation', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(TaskId).toConstantValue(segmentationTaskFactory).whenNamed('segmentation');
  }),
});
