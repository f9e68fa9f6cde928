import { dirname, join, resolve } from 'node:path';
import { type ArchitectureFactory, factoryForArchClass, identityPytorchKeys, OpenMindError, pytorchKeysOf, writeFileAtomic } from '@openmind-ssl/core';
import { taggedJsonToPy } from '../pickle/py-json.js';
import { PyDict, type PyValue } from '../pickle/py-value.js';
import { nnsslCheckpointValue } from '../nnssl/export-nnssl-checkpoint.js';
import { type PthValue, writePth } from '../pth/write-pth.js';
import { writeRawSafetensors } from '../safetensors/raw-safetensors.js';
import { numelOf, type RawTensor } from '../torch/raw-tensor.js';
import { elementSize } from '../torch/torch-dtype.js';
import {
  type CheckpointContent, checkpointKind, PLAN_METADATA_KEY, readCheckpointDirContent, readPthContent, readSafetensorsContent, TREE_METADATA_KEY,
} from './checkpoint-content.js';

/** What `convertCheckpoint` did. */
export interface ConvertSummary {
  from: 'pth' | 'safetensors' | 'checkpoint-dir';
  to: 'pth' | 'safetensors';
  /** Distinct tensors written (aliases counted once). */
  tensors: number;
  bytes: number;
  /** Where the adaptation plan was written, if there was one. */
  planJson: string | undefined;
  notes: string[];
}

/** Reads any supported checkpoint into the common form. */
export async function readCheckpointContent(input: string): Promise<{ kind: ConvertSummary['from']; content: CheckpointContent }> {
  const kind = await checkpointKind(input);
  const content = kind === 'pth' ? await readPthContent(input) : kind === 'safetensors' ? await readSafetensorsContent(input) : await readCheckpointDirContent(input);
  return { kind, content };
}

/** Options of `convertCheckpoint`. */
export interface ConvertOptions {
  /**
   * Architecture factories (e.g. every architecture plugin loaded): the one that builds the plan's
   * arch_class_name supplies the PyTorch alias keys a .pth gets. Without one, keys are written as stored.
   */
  architectures?: readonly ArchitectureFactory[];
}

function pthValueOf(c: CheckpointContent, source: string, options: ConvertOptions): PthValue {
  if (c.tree !== undefined) {
    return taggedJsonToPy(c.tree, (name) => {
      const t = c.tensors.get(name);
      if (!t) throw new OpenMindError(`${source}: the stored structure names tensor '${name}', which the file does not hold.`);
      return t as unknown as PyValue;
    }) as PthValue;
  }
  if (c.plan) {
    // Canonical keys (ours) get the architecture's PyTorch aliases; a dict that has them already is kept.
    const factory = factoryForArchClass(options.architectures ?? [], c.plan.architecture_plans.arch_class_name);
    const keys = pytorchKeysOf(factory);
    if (!factory) c.notes.push(`no loaded architecture builds '${c.plan.architecture_plans.arch_class_name}', so its PyTorch alias keys (if any) were not added`);
    const hasAliases = [...c.tensors.keys()].some((k) => keys.isAlias(k));
    return nnsslCheckpointValue({ weights: c.tensors, plan: c.plan, mapping: hasAliases ? identityPytorchKeys : keys });
  }
  return new PyDict([...c.tensors].map(([k, t]) => [k, t as unknown as PyValue] as [string, PyValue]), true);
}

/**
 * Converts a checkpoint between PyTorch `.pth` and `.safetensors` (by the output's extension), or from
 * one of our checkpoint directories to either. Every tensor keeps its name, shape, dtype and bytes
 * (int64, float64, float16, bfloat16 included: bytes are copied, never re-typed). The adaptation plan
 * travels in the .safetensors `__metadata__` ('nnssl_adaptation_plan', JSON) and in the .pth
 * (`nnssl_adaptation_plan`), and is written as `adaptation_plan.json` beside the output. The rest of a
 * .pth (optimizer state, logging, …) is carried in metadata 'openmind.pth' so converting back rebuilds it.
 * Alias keys our checkpoints lack come from the architecture factory among `options.architectures` that
 * builds the plan's arch_class_name.
 * @throws OpenMindError for a refused or broken input, an unknown extension, or input = output.
 */
export async function convertCheckpoint(input: string, output: string, options: ConvertOptions = {}): Promise<ConvertSummary> {
  if (resolve(input) === resolve(output)) throw new OpenMindError(`convert: input and output are the same file (${input}).`);
  const to = (await checkpointKind(output).catch(() => undefined)) ?? undefined;
  if (to !== 'pth' && to !== 'safetensors') {
    throw new OpenMindError(`convert: output '${output}' must end in .pth, .pt or .safetensors.`);
  }
  const { kind, content } = await readCheckpointContent(input);
  const bytes = [...content.tensors.values()].reduce((s, t) => s + numelOf(t.shape) * elementSize(t.dtype), 0);
  if (to === 'safetensors') {
    const metadata: Record<string, string> = { format: 'pt', ...content.metadata };
    if (content.plan) metadata[PLAN_METADATA_KEY] = JSON.stringify(content.plan);
    if (content.tree !== undefined) metadata[TREE_METADATA_KEY] = JSON.stringify(content.tree);
    await writeRawSafetensors(output, content.tensors as Map<string, RawTensor>, metadata);
  } else {
    await writePth(output, pthValueOf(content, input, options));
  }
  let planJson: string | undefined;
  if (content.plan) {
    planJson = join(dirname(output), 'adaptation_plan.json');
    await writeFileAtomic(planJson, `${JSON.stringify(content.plan, null, 2)}\n`);
  }
  return { from: kind, to, tensors: content.tensors.size, bytes, planJson, notes: content.notes };
}
