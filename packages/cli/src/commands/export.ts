import { writeFile } from 'node:fs/promises';
import { OpenMindError, setBackend } from '@openmind-ssl/core';
import { EXPORT_OPSET, exportOnnxModel, OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { exportNnsslCheckpoint, jsonToPy, stateDictToRaw } from '@openmind-ssl/interop';
import { segmentationExportMetadata } from '@openmind-ssl/task-segmentation';
import type { Command } from '../args.js';
import { architectureFactories, loadPlugins, runtimeOf } from '../plugins.js';
import { loadSegmentationModelForInference } from '../segmentation-model.js';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export a fine-tuned segmentation network as a standard ONNX model or a PyTorch .pth for nnU-Net users.',
  usage: 'export --model <run dir|checkpoint> --format onnx|pth --out <file>',
  description: [
    `onnx: opset ${EXPORT_OPSET}, input "input" [batch, C, D, H, W] float32 (any batch; the plan's patch), output`,
    '"logits" [batch, classes, D, H, W]. metadata_props carry patch_size, spacing, transpose, channel_names,',
    'normalization (z-score per channel, masked or not), labels, num_classes, ignore_label and the whole',
    'segmentation_plan, so a runtime can preprocess and run the sliding window as we do. The graph is the one',
    'our ONNX Runtime backend runs (traced once), with the weights as initializers.',
    "pth: { network_weights: the state dict with PyTorch's key names (DNA alias keys included), nnssl_adaptation_plan,",
    '       segmentation_plan }, written by torch.save\'s format; torch.load(path, weights_only=False) opens it.',
  ].join('\n'),
  options: {
    model: { type: 'string', help: 'fine-tuning run folder or checkpoint folder', value: '<dir>' },
    format: { type: 'string', help: 'onnx or pth', value: '<format>' },
    out: { type: 'string', help: 'output file', value: '<file>' },
    plugin: { type: 'string', multiple: true, help: 'load an architecture plugin package', value: '<package>' },
  },
  examples: [
    'openmind export --model runs/ft-fold0 --format onnx --out model.onnx',
    'openmind export --model runs/ft-fold0 --format pth --out checkpoint_final.pth',
  ],
  async run(values) {
    const format = values.format as string | undefined;
    if (!values.model || !values.out || !format) throw new OpenMindError("openmind export: --model, --format and --out are required. See 'openmind export --help'.");
    if (format !== 'onnx' && format !== 'pth') throw new OpenMindError(`openmind export: --format must be onnx or pth, but got '${format}'.`);
    const rt = runtimeOf(await loadPlugins((values.plugin as string[] | undefined) ?? []));
    const architectures = architectureFactories(rt);
    // The ONNX Runtime backend records the forward as the ONNX graph it would run; a bound far above any
    // network's node count keeps it from evaluating mid-trace.
    const backend = new OnnxRuntimeBackend({ maxPendingNodes: 1e9 });
    await backend.init();
    setBackend(backend);
    try {
      const model = await loadSegmentationModelForInference(String(values.model), architectures);
      const out = String(values.out);
      if (format === 'onnx') {
        const { plan, network } = model;
        const bytes = exportOnnxModel(backend, (x) => network.forward(x), {
          sampleShape: [1, plan.channelNames.length, ...plan.patchSize],
          metadata: segmentationExportMetadata(plan),
          docString: `OpenMind-TS segmentation network (${plan.adaptationPlan.architecture_plans.arch_class_name}) from ${model.checkpoint}`,
        });
        await writeFile(out, bytes);
        console.log(`${model.checkpoint} → ${out} (ONNX opset ${EXPORT_OPSET}, ${(bytes.length / 1024 ** 2).toFixed(1)} MB, input [batch, ${plan.channelNames.length}, ${plan.patchSize.join(', ')}])`);
      } else {
        await exportNnsslCheckpoint(out, {
          weights: await stateDictToRaw(model.network),
          plan: model.plan.adaptationPlan,
          architecture: model.factory,
          extra: { segmentation_plan: jsonToPy(model.plan) },
          planJson: false,
        });
        console.log(`${model.checkpoint} → ${out} (PyTorch state dict with the plan)`);
      }
    } finally {
      await backend.close();
    }
    return 0;
  },
};
