import { OpenMindError } from '@openmind-ssl/core';
import { describe } from './allowed-globals.js';
import { NumpyArray, PyDevice, PyDict, type PyKey, PySet, PyTuple, type PyValue, TorchTensor } from './py-value.js';

/** JSON text values. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * Plain JSON of a pickled value (adaptation plans, configs): str-keyed dicts → objects, lists and
 * tuples → arrays. Integers beyond 2^53 and non-finite floats have no JSON form.
 * @throws OpenMindError naming `where` (a dotted path) for tensors, bytes, non-str keys and such.
 */
export function pyToPlainJson(v: PyValue, where: string): Json {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new OpenMindError(`${where}: ${v} has no JSON form.`);
    return v;
  }
  if (typeof v === 'bigint') throw new OpenMindError(`${where}: integer ${v} is beyond JSON's exact range.`);
  if (Array.isArray(v) || v instanceof PyTuple) return (Array.isArray(v) ? v : v.items).map((x, i) => pyToPlainJson(x, `${where}[${i}]`));
  if (v instanceof PyDict) {
    const out: Record<string, Json> = {};
    for (const [k, x] of v) {
      if (typeof k !== 'string') throw new OpenMindError(`${where}: dict keys must be strings for JSON, but got ${describe(k)}.`);
      out[k] = pyToPlainJson(x, `${where}.${k}`);
    }
    return out;
  }
  if (v instanceof PyDevice) return v.toString();
  throw new OpenMindError(`${where}: ${describe(v)} has no JSON form.`);
}

/** A plain JSON value as pickle data: objects → dicts, arrays → lists. */
export function jsonToPy(v: unknown): PyValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(jsonToPy);
  if (typeof v === 'object') return new PyDict(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, jsonToPy(x)] as [PyKey, PyValue]));
  throw new OpenMindError(`jsonToPy: ${typeof v} has no pickle form.`);
}

const TAG = /^__[a-z]+__$/;
const INDEX_LIKE = /^(0|[1-9]\d*)$/;

/**
 * Lossless JSON of a checkpoint tree, for carrying everything that is not a tensor through
 * .safetensors metadata. Plain objects stand for str-keyed dicts; everything JSON cannot say is tagged:
 * {"__tuple__": […]}, {"__odict__": [[k, v]…]}, {"__dict__": [[k, v]…]} (non-str or index-like keys,
 * whose order a JS object would not keep), {"__int__": "…"}, {"__float__": "nan"}, {"__bytes__": base64},
 * {"__device__": "cuda:0"}, {"__set__"/"__frozenset__": […]}, {"__tensor__": name}.
 */
export function pyToTaggedJson(v: PyValue, tensorName: (t: TorchTensor | NumpyArray) => string): Json {
  const rec = (x: PyValue): Json => pyToTaggedJson(x, tensorName);
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? (Object.is(v, -0) ? { __float__: '-0' } : v) : { __float__: String(v) };
  if (typeof v === 'bigint') return { __int__: v.toString() };
  if (Array.isArray(v)) return v.map(rec);
  if (v instanceof PyTuple) return { __tuple__: v.items.map(rec) };
  if (v instanceof PySet) return { [v.frozen ? '__frozenset__' : '__set__']: v.items.map(rec) };
  if (v instanceof Uint8Array) return { __bytes__: Buffer.from(v).toString('base64') };
  if (v instanceof PyDevice) return { __device__: v.toString() };
  if (v instanceof TorchTensor || v instanceof NumpyArray) return { __tensor__: tensorName(v) };
  if (v instanceof PyDict) {
    const keys = [...v.keys()];
    const plain = !v.ordered && keys.every((k) => typeof k === 'string' && !INDEX_LIKE.test(k)) && !(keys.length === 1 && TAG.test(String(keys[0])));
    if (plain) return Object.fromEntries([...v].map(([k, x]) => [k as string, rec(x)]));
    return { [v.ordered ? '__odict__' : '__dict__']: [...v].map(([k, x]) => [rec(k), rec(x)]) };
  }
  throw new OpenMindError(`pyToTaggedJson: ${describe(v)} has no JSON form.`);
}

/**
 * The inverse of `pyToTaggedJson`; `tensor(name)` supplies each tensor.
 * @throws OpenMindError for a malformed tag.
 */
export function taggedJsonToPy<T>(v: Json, tensor: (name: string) => T): PyValue | T {
  const rec = (x: Json): PyValue => taggedJsonToPy(x, tensor) as PyValue;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(rec);
  const keys = Object.keys(v);
  if (keys.length === 1 && TAG.test(keys[0]!)) {
    const [tag] = keys as [string];
    const x = v[tag]!;
    switch (tag) {
      case '__tuple__': return new PyTuple((x as Json[]).map(rec));
      case '__set__': case '__frozenset__': return new PySet((x as Json[]).map(rec), tag === '__frozenset__');
      case '__int__': return BigInt(x as string);
      case '__float__': return Number(x as string);
      case '__bytes__': return new Uint8Array(Buffer.from(x as string, 'base64'));
      case '__device__': {
        const [type, index] = (x as string).split(':');
        return new PyDevice(type!, index === undefined ? null : Number(index));
      }
      case '__tensor__': return tensor(x as string);
      case '__odict__': case '__dict__':
        return new PyDict((x as [Json, Json][]).map(([k, y]) => [rec(k) as PyKey, rec(y)] as [PyKey, PyValue]), tag === '__odict__');
      default: throw new OpenMindError(`taggedJsonToPy: unknown tag '${tag}'.`);
    }
  }
  return new PyDict(Object.entries(v).map(([k, y]) => [k, rec(y)] as [PyKey, PyValue]));
}
