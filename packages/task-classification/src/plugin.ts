import {
  CORE_API_VERSION, definePlugin, type Task, type TaskContext, type TaskFactory, TaskId, type Tensor,
} from '@openmind-ssl/core';
import { ContainerModule } from 'inversify';
import { type ClassificationConfig, classificationConfigSchema } from './config.js';
import { DEFAULT_PREPROCESSING, openClassificationDataset } from './data/classification-dataset.js';
import { ClassificationMetrics } from './metrics/metric-accumulator.js';
import { buildClassifier } from './network/build-classifier.js';
import { classificationLoss } from './training/losses.js';

/**
 * The classification task (bound under TaskId as 'classification'): a dataset folder, the classifier of
 * the pre-trained plan (encoder → pooled features → Dropout → Linear), cross-entropy with label smoothing
 * (BCE with logits for multi-label data) and the epoch-wise metrics.
 */
export const classificationTaskFactory: TaskFactory<ClassificationConfig> = {
  id: 'classification',
  configSchema: classificationConfigSchema,
  openDataset: (location) => openClassificationDataset(location, DEFAULT_PREPROCESSING),
  create(ctx: TaskContext<ClassificationConfig>): Task {
    const multilabel = (ctx.dataset as { multilabel?: boolean }).multilabel ?? false;
    const { network } = buildClassifier(ctx.plan, ctx.architecture, {
      classes: ctx.dataset.outputs, inChannels: ctx.dataset.inChannels, patchSize: ctx.patchSize, dropout: ctx.config.dropout, rng: ctx.rng,
    });
    return {
      id: 'classification',
      network,
      loss: (output: Tensor, target: Tensor) => classificationLoss(output, target, multilabel, ctx.config.labelSmoothing),
      metrics: () => new ClassificationMetrics(ctx.dataset.outputs, multilabel),
    };
  },
};

export const classificationPlugin = definePlugin({
  meta: { name: 'classification', version: '1.0.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(TaskId).toConstantValue(classificationTaskFactory).whenNamed('classification');
  }),
});
