import { OpenMindError } from '@openmind-ssl/core';

/** Element types the store writes: volumes as float32 or float16, masks as int8, index lists as int32. */
export type StoreDType = 'float32' | 'float16' | 'int8' | 'int32';

/** Bytes per element of each {@link StoreDType}. */
export const DTYPE_BYTES: Readonly<Record<StoreDType, number>> = { float32: 4, float16: 2, int8: 1, int32: 4 };

/** The typed array a reader returns for each dtype (float16 is widened to float32). */
export type StoreArray = Float32Array | Int8Array | Int32Array;

/** The parts of a Zarr v3 array's `zarr.json` this store writes and reads. */
export interface ZarrArrayMetadata {
  zarr_format: 3;
  node_type: 'array';
  shape: number[];
  data_type: StoreDType;
  chunk_grid: { name: 'regular'; configuration: { chunk_shape: number[] } };
  chunk_key_encoding: { name: 'default'; configuration: { separator: '/' } };
  fill_value: number;
  codecs: [ShardingCodec];
  attributes: Record<string, unknown>;
  dimension_names?: string[];
}

/** `sharding_indexed` with gzip-compressed inner chunks and a CRC-32C-protected index at the end. */
export interface ShardingCodec {
  name: 'sharding_indexed';
  configuration: {
    chunk_shape: number[];
    codecs: [{ name: 'bytes'; configuration: { endian: 'little' } }, { name: 'gzip'; configuration: { level: number } }] | [{ name: 'bytes'; configuration: { endian: 'little' } }];
    index_codecs: [{ name: 'bytes'; configuration: { endian: 'little' } }, { name: 'crc32c' }];
    index_location: 'end';
  };
}

/**
 * Metadata of an array stored as one shard (the whole array) of independently compressed inner chunks:
 * one file per array, yet any region is read by decoding only the chunks it touches.
 * @param compressionLevel gzip level 1–9, or 0 for no compression.
 */
export function arrayMetadata(
  shape: readonly number[],
  dtype: StoreDType,
  chunkShape: readonly number[],
  compressionLevel: number,
  attributes: Record<string, unknown> = {},
  dimensionNames?: readonly string[],
): ZarrArrayMetadata {
  const shardShape = shape.map((s, i) => Math.max(1, Math.ceil(s / chunkShape[i]!)) * chunkShape[i]!);
  const bytes = { name: 'bytes', configuration: { endian: 'little' } } as const;
  return {
    zarr_format: 3,
    node_type: 'array',
    shape: [...shape],
    data_type: dtype,
    chunk_grid: { name: 'regular', configuration: { chunk_shape: shardShape } },
    chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
    fill_value: 0,
    codecs: [
      {
        name: 'sharding_indexed',
        configuration: {
          chunk_shape: [...chunkShape],
          codecs: compressionLevel > 0 ? [bytes, { name: 'gzip', configuration: { level: compressionLevel } }] : [bytes],
          index_codecs: [bytes, { name: 'crc32c' }],
          index_location: 'end',
        },
      },
    ],
    attributes,
    ...(dimensionNames ? { dimension_names: [...dimensionNames] } : {}),
  };
}

/** The key of the single shard of an array of rank `rank`: `c/0/0/0`. */
export function shardKey(rank: number): string {
  return ['c', ...Array.from({ length: rank }, () => '0')].join('/');
}

/**
 * Checks that `json` is an array this store can read (one shard covering the array, gzip or raw inner
 * chunks, CRC-32C index at the end) and returns it typed.
 * @throws OpenMindError naming the file and the unsupported field.
 */
export function parseArrayMetadata(json: unknown, file: string): ZarrArrayMetadata {
  const m = (json ?? {}) as Partial<ZarrArrayMetadata>;
  const bad = (what: string, got: unknown) =>
    new OpenMindError(`Zarr array "${file}": ${what}, but got ${JSON.stringify(got)?.slice(0, 120)}.`);
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  const isSizes = (v: unknown, rank?: number): v is number[] =>
    Array.isArray(v) && (rank === undefined || v.length === rank) && v.length >= 1 && v.every((x) => Number.isSafeInteger(x) && x >= 1);
  if (!isObject(json) || m.zarr_format !== 3 || m.node_type !== 'array') throw bad('zarr_format must be 3 and node_type "array"', [m.zarr_format, m.node_type]);
  if (typeof m.data_type !== 'string' || !Object.hasOwn(DTYPE_BYTES, m.data_type)) throw bad(`data_type must be one of ${Object.keys(DTYPE_BYTES).join(', ')}`, m.data_type);
  if (!isSizes(m.shape)) throw bad('shape must be a list of positive integers', m.shape);
  const rank = m.shape.length;
  const codec = Array.isArray(m.codecs) ? m.codecs[0] : undefined;
  if (m.codecs?.length !== 1 || !isObject(codec) || codec.name !== 'sharding_indexed' || !isObject(codec.configuration)) {
    throw bad('codecs must be a single sharding_indexed codec', m.codecs);
  }
  const inner = codec.configuration.chunk_shape;
  if (!isSizes(inner, rank)) throw bad(`the inner chunk_shape must be ${rank} positive sizes`, inner);
  // One shard holds the whole array, rounded up to whole inner chunks: the shard index has one entry per
  // inner chunk of that grid, so any other shard shape would be read with the wrong index layout.
  const shard = isObject(m.chunk_grid) && m.chunk_grid.name === 'regular' && isObject(m.chunk_grid.configuration) ? m.chunk_grid.configuration.chunk_shape : undefined;
  const expectedShard = m.shape.map((s, i) => Math.ceil(s / inner[i]!) * inner[i]!);
  if (!isSizes(shard, rank) || shard.some((s, i) => s !== expectedShard[i])) {
    throw bad(`the shard (a regular chunk_grid) must be the whole array in whole inner chunks, [${expectedShard.join(', ')}]`, m.chunk_grid);
  }
  const keys = m.chunk_key_encoding as unknown;
  if (!isObject(keys) || keys['name'] !== 'default' || !isObject(keys['configuration']) || keys['configuration']['separator'] !== '/') {
    throw bad('chunk_key_encoding must be "default" with separator "/"', keys);
  }
  const codecs: unknown[] = Array.isArray(codec.configuration.codecs) ? codec.configuration.codecs : [];
  const named = (c: unknown, name: string) => isObject(c) && c['name'] === name;
  // Only little-endian bytes are read; any other (or a missing) endian would be decoded wrongly.
  const littleBytes = (c: unknown) => named(c, 'bytes') && isObject((c as Record<string, unknown>)['configuration']) && ((c as { configuration: Record<string, unknown> }).configuration['endian'] === 'little');
  if (!littleBytes(codecs[0]) || (codecs.length === 2 && !named(codecs[1], 'gzip')) || codecs.length > 2) {
    throw bad('inner codecs must be little-endian bytes, optionally followed by gzip', codec.configuration.codecs);
  }
  const idx: unknown[] = Array.isArray(codec.configuration.index_codecs) ? codec.configuration.index_codecs : [];
  if (codec.configuration.index_location !== 'end' || idx.length !== 2 || !littleBytes(idx[0]) || !named(idx[1], 'crc32c')) {
    throw bad('the shard index must be at the end, encoded as bytes + crc32c', [codec.configuration.index_location, codec.configuration.index_codecs]);
  }
  if (typeof m.fill_value !== 'number') throw bad('fill_value must be a number', m.fill_value);
  return m as ZarrArrayMetadata;
}
