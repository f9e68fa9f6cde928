import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type AdaptationPlan, OpenMindError } from '@openmind-ssl/core';
import type { Json } from '../pickle/py-json.js';
import { PyDict, type PyValue, TorchTensor } from '../pickle/py-value.js';
import { readPth } from '../pth/read-pth.js';
import { rawTensorOf } from '../pth/tensor-tree.js';
import type { RawTensor } from '../torch/raw-tensor.js';
import { parseAdaptationPlan } from './parse-adaptation-plan.js';

/** The parts of an nnssl checkpoint that fine-tuning needs. */
export interface NnsslCheckpoint {
  source: string;
  /** `network_weights` (or the whole file when it is a plain state dict), PyTorch keys, file order. */
  weights: Map<string, RawTensor>;
  /** `nnssl_adaptation_plan`, else the `adaptation_plan.json` beside the file, else undefined. */
  plan: AdaptationPlan | undefined;
  /** Where the plan came from. */
  planSource: 'checkpoint' | 'adaptation_plan.json' | undefined;
  trainerName: string | undefined;
}

function isStateDict(v: PyValue | undefined): v is PyDict {
  return v instanceof PyDict && v.size > 0 && [...v.values()].every((x) => x instanceof TorchTensor);
}

/**
 * Reads `network_weights` and the adaptation plan of an nnssl checkpoint (`checkpoint_final.pth`), or a
 * plain `torch.save(model.state_dict())` file. Only the weights' storages are read (optimizer state is
 * skipped). When the checkpoint holds no plan (nnssl's SparK trainer writes none), a sibling
 * `adaptation_plan.json` is used, as on the released OpenMind checkpoints.
 * @throws OpenMindError for a refused/broken file, a file with no state dict, or a malformed plan.
 */
export async function readNnsslCheckpoint(path: string): Promise<NnsslCheckpoint> {
  const pick = (root: PyValue): PyValue | undefined => (root instanceof PyDict && root.has('network_weights') ? root.get('network_weights') : root);
  const pth = await readPth(path, { select: pick });
  const sd = pick(pth.root);
  if (!isStateDict(sd)) {
    throw new OpenMindError(`${path}: holds no state dict: expected an nnssl checkpoint with 'network_weights' (a dict of tensors) or a plain state dict.`);
  }
  // Alias keys are views of the same storage region: they share one RawTensor (and its bytes).
  const weights = new Map<string, RawTensor>();
  const byView = new Map<string, RawTensor>();
  for (const [k, value] of sd) {
    const t = value as TorchTensor;
    const view = `${t.storage.key}|${t.dtype}|${t.offset}|${t.shape.join(',')}|${t.stride.join(',')}`;
    if (!byView.has(view)) byView.set(view, rawTensorOf(t, `${path}: network_weights['${String(k)}']`));
    weights.set(String(k), byView.get(view)!);
  }
  const root = pth.root instanceof PyDict ? pth.root : undefined;
  let plan: AdaptationPlan | undefined;
  let planSource: NnsslCheckpoint['planSource'];
  const embedded = root?.get('nnssl_adaptation_plan');
  if (embedded instanceof PyDict) {
    plan = parseAdaptationPlan(embedded, path);
    planSource = 'checkpoint';
  } else {
    const sibling = join(dirname(path), 'adaptation_plan.json');
    const text = await readFile(sibling, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      let json: Json;
      try {
        json = JSON.parse(text) as Json;
      } catch {
        throw new OpenMindError(`${sibling}: not valid JSON.`);
      }
      plan = parseAdaptationPlan(json, sibling);
      planSource = 'adaptation_plan.json';
    }
  }
  const trainer = root?.get('trainer_name');
  return { source: path, weights, plan, planSource, trainerName: typeof trainer === 'string' ? trainer : undefined };
}
