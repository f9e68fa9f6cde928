import { OpenMindError } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { float32Raw, materializeStrided, rawValues, type RawTensor, toHostTensor } from './raw-tensor.js';

function int64(values: bigint[]): RawTensor {
  const data = new Uint8Array(8 * values.length);
  values.forEach((v, i) => new DataView(data.buffer).setBigInt64(8 * i, v, true));
  return { dtype: 'int64', shape: [values.length], data };
}

describe('toHostTensor', () => {
  it('should narrow int64 to int32 when every value fits', () => {
    const h = toHostTensor(int64([0n, -2147483648n, 2147483647n]), 'k');
    expect(h.dtype).toBe('int32');
    expect(Array.from(h.data)).toEqual([0, -2147483648, 2147483647]);
  });

  it('should refuse (RangeError naming the key and value) an int64 beyond int32, never wrap it', () => {
    expect(() => toHostTensor(int64([1n, 2n ** 40n]), 'num_batches_tracked')).toThrow(RangeError);
    expect(() => toHostTensor(int64([1n, 2n ** 40n]), 'num_batches_tracked')).toThrow(/num_batches_tracked: int64 value 1099511627776 at flat index 1/);
  });

  it('should round float64 to float32 and map bool to uint8', () => {
    const f64: RawTensor = { dtype: 'float64', shape: [2], data: new Uint8Array(new Float64Array([0.1, 1e300]).buffer) };
    expect(Array.from(toHostTensor(f64, 'x').data)).toEqual([Math.fround(0.1), Infinity]);
    expect(toHostTensor({ dtype: 'bool', shape: [2], data: Uint8Array.from([1, 0]) }, 'b')).toMatchObject({ dtype: 'uint8', data: Uint8Array.from([1, 0]) });
  });
});

describe('materializeStrided', () => {
  const storage = float32Raw(Array.from({ length: 12 }, (_, i) => i), [12]).data;

  it('should copy transposed and offset views in row-major order', () => {
    expect(rawValues(materializeStrided(storage, 'float32', 12, 0, [4, 3], [1, 4], 't'))).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    expect(rawValues(materializeStrided(storage, 'float32', 12, 5, [2, 2], [3, 1], 'o'))).toEqual([5, 6, 8, 9]);
    expect(rawValues(materializeStrided(storage, 'float32', 12, 2, [3], [0], 'broadcast'))).toEqual([2, 2, 2]);
  });

  it('should refuse a view that reaches past its storage', () => {
    expect(() => materializeStrided(storage, 'float32', 12, 6, [2, 4], [4, 1], 'w')).toThrow(OpenMindError);
    expect(() => materializeStrided(storage, 'float32', 12, 6, [2, 4], [4, 1], 'w')).toThrow(/needs storage elements up to index 13/);
  });
});
