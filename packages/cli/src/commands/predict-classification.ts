import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ArchitectureFactory, OpenMindError } from '@openmind-ssl/core';

/**
 * The classifier checkpoints that `--model` paths name (a classification run folder gives every fold's
 * fold-<k>/checkpoint/), or undefined when none is a classifier (a segmentation model).
 * @throws OpenMindError when classifiers and other models are mixed.
 */
export async function classifierModelsOf(models: readonly string[]): Promise<string[] | undefined> {
  const { classifierCheckpointDirs } = await import('@openmind-ssl/task-classification');
  const found = await Promise.all(models.map((m) => classifierCheckpointDirs(m)));
  const classifiers = found.filter((d) => d.length > 0).length;
  if (classifiers === 0) return undefined;
  if (classifiers < models.length) {
    const other = models[found.findIndex((d) => d.length === 0)];
    throw new OpenMindError(`openmind predict: --model "${other}" is not a classifier, but other --model paths are; give models of one task.`);
  }
  return found.flat();
}

/**
 * `openmind predict` for classifiers: every checkpoint's network (all folds of a run) summed as logits,
 * class probabilities per case written to <out>/probabilities.csv (`case,<class>,…`).
 */
export async function predictClassification(checkpoints: readonly string[], input: string, out: string, architectures: readonly ArchitectureFactory[]): Promise<number> {
  const cls = await import('@openmind-ssl/task-classification');
  const models = [];
  for (const dir of checkpoints) models.push(await cls.loadClassifierModel(dir, architectures));
  const inputs = await cls.findClassificationInputs(input, models[0]!.config.inChannels);
  console.log(`predict: ${inputs.length} case(s), classifier ensemble of ${models.length} network(s), classes [${models[0]!.config.classes.join(', ')}]`);
  const { csv } = await cls.predictClassifier(models, inputs);
  await mkdir(out, { recursive: true });
  const file = join(out, 'probabilities.csv');
  await writeFile(file, csv);
  console.log(`predict: class probabilities of ${inputs.length} case(s) → ${file}`);
  return 0;
}
