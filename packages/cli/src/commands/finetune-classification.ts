import { OpenMindError, type Runtime } from '@openmind-ssl/core';
import { intOption, tripleOption } from '../args.js';
import { architectureFactories } from '../plugins.js';
import { writeClassificationReport } from '../report/classification-report.js';

type Values = Record<string, string | boolean | string[] | undefined>;

/** A number option (floats allowed), or undefined. */
function numberOption(values: Values, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new OpenMindError(`--${name}: expected a number, got '${String(v)}'`);
  return n;
}

/**
 * `openmind finetune --task classification`: the options as @openmind-ssl/task-classification's config,
 * sizes by machine (a CPU backend gets its CPU preset: 32³ crop, 30 epochs, 3 of warm-up), then its
 * runClassificationFinetune with every loaded architecture factory.
 */
export async function finetuneClassification(values: Values, rt: Runtime, cpu: boolean): Promise<number> {
  const cls = await import('@openmind-ssl/task-classification');
  const machine = cpu ? cls.CPU_PRESET : {};
  const config: Record<string, unknown> = { ...machine };
  if (values['finetune'] !== undefined) config['finetune'] = values['finetune'];
  if (values['epochs'] !== undefined) config['epochs'] = intOption(values, 'epochs', 0);
  if (values['warmup'] !== undefined) config['warmupEpochs'] = intOption(values, 'warmup', 0);
  if (values['folds'] !== undefined) config['folds'] = intOption(values, 'folds', 0);
  if (values['batch-size'] !== undefined) config['batchSize'] = intOption(values, 'batch-size', 0);
  if (values['accumulate'] !== undefined) config['accumulate'] = intOption(values, 'accumulate', 0);
  if (values['crop'] !== undefined) config['cropSize'] = tripleOption(values, 'crop', [160, 160, 160]);
  if (values['normalization'] !== undefined) config['normalization'] = values['normalization'];
  if (values['augmentation'] !== undefined) config['augmentation'] = values['augmentation'];
  if (values['lora-rank'] !== undefined) config['loraRank'] = intOption(values, 'lora-rank', 0);
  for (const [opt, key] of [['lora-alpha', 'loraAlpha'], ['lora-dropout', 'loraDropout'], ['lr', 'lr'], ['weight-decay', 'weightDecay'], ['label-smoothing', 'labelSmoothing'], ['dropout', 'dropout']] as const) {
    const n = numberOption(values, opt);
    if (n !== undefined) config[key] = n;
  }
  const parsed = cls.classificationConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new OpenMindError(`finetune --task classification: ${issue.path.join('.') || 'options'}: ${issue.message}`);
  }
  const architectures = architectureFactories(rt);
  const scratch = values['arch'] !== undefined ? { preset: String(values['arch']), factory: rt.architectureOf(String(values['arch'])).factory } : undefined;
  const out = String(values['out'] ?? 'runs/classification');
  const result = await cls.runClassificationFinetune({
    data: String(values['data']),
    out,
    config: parsed.data,
    ...(values['pretrained'] !== undefined ? { pretrained: String(values['pretrained']) } : {}),
    ...(scratch ? { scratch } : {}),
    architectures,
    seed: intOption(values, 'seed', 0),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const page = await writeClassificationReport(out, {
    title: `Classification fine-tuning: ${String(values['data'])}`,
    settings: { ...parsed.data, data: String(values['data']), pretrained: values['pretrained'] ?? null, arch: values['arch'] ?? null },
    classes: result.classes, multilabel: result.multilabel, folds: result.folds, summary: result.summary,
  });
  process.stderr.write(`report: ${page}\n`);
  return 0;
}
