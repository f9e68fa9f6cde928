import { type ArchitectureFactory, createRuntime, loadPlugin, OpenMindError, type OpenMindPlugin } from '@openmind-ssl/core';
import { convertCheckpoint } from '@openmind-ssl/interop';
import type { Command } from '../args.js';
import { architectureFactories, BUILTIN_PLUGINS } from '../plugins.js';

/**
 * The architecture factories of the built-in architecture plugins (those installed) and of `extra`: the
 * one that builds a plan's arch_class_name gives the PyTorch keys. Backends are not loaded: convert computes nothing.
 */
async function loadArchitectureFactories(extra: readonly string[]): Promise<ArchitectureFactory[]> {
  const plugins: OpenMindPlugin[] = [];
  for (const name of BUILTIN_PLUGINS.filter((n) => n.includes('/arch-'))) plugins.push(...(await loadPlugin(name).then((p) => [p], () => [])));
  for (const name of extra) plugins.push(await loadPlugin(name));
  const rt = createRuntime({ plugins });
  return architectureFactories(rt);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

export const convertCommand: Command = {
  name: 'convert',
  summary: 'Convert a checkpoint between PyTorch .pth and .safetensors, or export one of our checkpoints.',
  usage: 'convert <input> <output>',
  description: [
    '<input>:  a .pth/.pt file (torch.save, zip or legacy format; nnssl checkpoint_final.pth or a state dict),',
    '          a .safetensors file, or an OpenMind checkpoint directory (checkpoints/step-…).',
    '<output>: a .pth/.pt or .safetensors file; the extension picks the format.',
    'Every tensor keeps its name, shape, dtype and bytes (int64, float64, float16, bfloat16 included). PyTorch',
    'alias keys (DNA\'s all_modules.* and decoder.encoder.*) are stored once in .safetensors and restored in .pth;',
    'our checkpoints get them added (by the architecture plugin that builds the plan\'s arch_class_name), so DNA\'s',
    'strict load_state_dict accepts the .pth. The adaptation plan goes',
    'into .safetensors metadata (nnssl_adaptation_plan) and the .pth (nnssl_adaptation_plan), and is written as',
    'adaptation_plan.json beside the output. .pth files are read with a safe unpickler: any global outside the',
    'tensor/container/numpy allow-list (os.system, eval, …) is refused, and nothing in the file is executed.',
  ].join('\n'),
  options: {
    plugin: { type: 'string', multiple: true, help: 'load an architecture plugin package (its PyTorch key mapping is used)', value: '<package>' },
  },
  examples: [
    'openmind convert checkpoint_final.pth model.safetensors',
    'openmind convert model.safetensors checkpoint_final.pth',
    'openmind convert runs/demo/checkpoints/step-00000500 export/checkpoint_final.pth',
  ],
  async run(values, positionals) {
    if (positionals.length !== 2) {
      throw new OpenMindError(`openmind convert: expected <input> <output>, but got ${positionals.length} argument(s). See 'openmind convert --help'.`);
    }
    const [input, output] = positionals as [string, string];
    const architectures = await loadArchitectureFactories((values.plugin as string[] | undefined) ?? []);
    const s = await convertCheckpoint(input, output, { architectures });
    console.log(`${input} (${s.from}) → ${output} (${s.to}): ${s.tensors} tensors, ${megabytes(s.bytes)}`);
    if (s.planJson) console.log(`adaptation plan → ${s.planJson}`);
    else console.log('no adaptation plan found (neither in the input nor as adaptation_plan.json beside it)');
    for (const note of s.notes) console.log(`note: ${note}`);
    return 0;
  },
};
