import { type AdaptationPlan, OpenMindError } from '@openmind-ssl/core';
import { type Json, pyToPlainJson } from '../pickle/py-json.js';
import { PyDict, type PyValue } from '../pickle/py-value.js';

/**
 * Checks an nnssl adaptation plan (the pickled `nnssl_adaptation_plan` dict or the parsed
 * `adaptation_plan.json`) and returns it as plain JSON. Tuples (nnssl's `asdict` keeps
 * `keys_to_in_proj` a tuple) become arrays; `key_to_lpe` may be absent.
 * @throws OpenMindError naming `source` and the field that is missing or malformed.
 */
export function parseAdaptationPlan(value: PyValue | Json, source: string): AdaptationPlan {
  const json = value instanceof PyDict ? pyToPlainJson(value, `${source}: nnssl_adaptation_plan`) : (value as Json);
  const where = `${source}: adaptation plan`;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new OpenMindError(`${where} must be a dict, but got ${JSON.stringify(json)?.slice(0, 80)}.`);
  const p = json as Record<string, Json>;
  const problems: string[] = [];
  const str = (k: string): void => {
    if (typeof p[k] !== 'string') problems.push(`'${k}' must be a string, but got ${JSON.stringify(p[k])}`);
  };
  const arch = p['architecture_plans'] as Record<string, Json> | null | undefined;
  if (!arch || typeof arch !== 'object' || typeof arch['arch_class_name'] !== 'string') {
    problems.push(`'architecture_plans.arch_class_name' must be a string, but got ${JSON.stringify(arch?.['arch_class_name'])}`);
  }
  if (!p['pretrain_plan'] || typeof p['pretrain_plan'] !== 'object') problems.push(`'pretrain_plan' must be a dict, but got ${JSON.stringify(p['pretrain_plan'])?.slice(0, 40)}`);
  if (!Number.isInteger(p['pretrain_num_input_channels']) || (p['pretrain_num_input_channels'] as number) < 1) {
    problems.push(`'pretrain_num_input_channels' must be a positive integer, but got ${JSON.stringify(p['pretrain_num_input_channels'])}`);
  }
  const patch = p['recommended_downstream_patchsize'];
  if (!Array.isArray(patch) || patch.length !== 3 || patch.some((x) => !Number.isInteger(x))) {
    problems.push(`'recommended_downstream_patchsize' must be three integers, but got ${JSON.stringify(patch)}`);
  }
  str('key_to_encoder');
  str('key_to_stem');
  const inProj = p['keys_to_in_proj'];
  if (!Array.isArray(inProj) || inProj.some((k) => typeof k !== 'string')) problems.push(`'keys_to_in_proj' must be a list of strings, but got ${JSON.stringify(inProj)}`);
  if (p['key_to_lpe'] !== undefined && p['key_to_lpe'] !== null && typeof p['key_to_lpe'] !== 'string') {
    problems.push(`'key_to_lpe' must be a string or null, but got ${JSON.stringify(p['key_to_lpe'])}`);
  }
  if (problems.length) throw new OpenMindError(`${where}: ${problems.join('; ')}.`);
  return json as unknown as AdaptationPlan;
}
