import fc from 'fast-check';

/** A header field a mutation may set to an extreme value: byte offset, binary type and byte order. */
export interface BinaryField {
  name: string;
  offset: number;
  type: 'i8' | 'u8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64';
  littleEndian: boolean;
}

/** One edit of a file's bytes; `describe` names it in a failure report. */
export type ByteMutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; keep: number }
  | { kind: 'extend'; bytes: Uint8Array }
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }
  | { kind: 'field'; field: BinaryField; value: number };

/** Values that break parsers: sizes near 2³¹ and 2⁶³, zero, negatives, NaN and the infinities. */
export const EXTREME_NUMBERS: readonly number[] = [
  0, -1, 1, 2, 7, 8, 255, 32767, -32768, 65535, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 32, 2 ** 40, 2 ** 53, -(2 ** 53),
  Number.NaN, Infinity, -Infinity, 1e-38, 3.4e38, -0.5, 0.5,
];

function writeField(view: DataView, f: BinaryField, value: number): void {
  const le = f.littleEndian;
  const int = Number.isFinite(value) ? Math.trunc(value) : 0;
  switch (f.type) {
    case 'i8': return view.setInt8(f.offset, int);
    case 'u8': return view.setUint8(f.offset, int & 0xff);
    case 'i16': return view.setInt16(f.offset, int, le);
    case 'i32': return view.setInt32(f.offset, int, le);
    case 'i64': return view.setBigInt64(f.offset, BigInt.asIntN(64, BigInt(int)), le);
    case 'f32': return view.setFloat32(f.offset, value, le);
    case 'f64': return view.setFloat64(f.offset, value, le);
  }
}

/** Applies mutations in order to a copy of `input`; offsets past the end are taken modulo the length. */
export function applyMutations(input: Uint8Array, mutations: readonly ByteMutation[]): Uint8Array {
  let b = input.slice();
  for (const m of mutations) {
    if (m.kind === 'flip') {
      if (b.length) b[m.at % b.length]! ^= 1 << m.bit;
    } else if (m.kind === 'truncate') {
      b = b.slice(0, m.keep % (b.length + 1));
    } else if (m.kind === 'extend') {
      const out = new Uint8Array(b.length + m.bytes.length);
      out.set(b);
      out.set(m.bytes, b.length);
      b = out;
    } else if (m.kind === 'overwrite') {
      if (b.length) {
        const at = m.at % b.length;
        b.set(m.bytes.subarray(0, b.length - at), at);
      }
    } else {
      const width = { i8: 1, u8: 1, i16: 2, i32: 4, i64: 8, f32: 4, f64: 8 }[m.field.type];
      if (m.field.offset + width <= b.length) writeField(new DataView(b.buffer, b.byteOffset, b.byteLength), m.field, m.value);
    }
  }
  return b;
}

/** A readable one-line summary of mutations, for failure messages and regression cases. */
export function describeMutations(mutations: readonly ByteMutation[]): string {
  return mutations
    .map((m) => {
      if (m.kind === 'flip') return `flip bit ${m.bit} of byte ${m.at}`;
      if (m.kind === 'truncate') return `truncate to ${m.keep}`;
      if (m.kind === 'extend') return `append ${m.bytes.length} bytes`;
      if (m.kind === 'overwrite') return `overwrite ${m.bytes.length} bytes at ${m.at}`;
      return `set ${m.field.name} to ${m.value}`;
    })
    .join('; ');
}

/**
 * Mutations of a file of about `size` bytes: bit flips (weighted to the first `hotBytes`, where headers
 * live), truncations, extensions, overwrites and, when `fields` are given, header fields set to extremes.
 */
export function byteMutation(size: number, fields: readonly BinaryField[] = [], hotBytes = 1024): fc.Arbitrary<ByteMutation> {
  const anywhere = fc.nat({ max: Math.max(0, size * 2) });
  const hot = fc.nat({ max: Math.max(0, Math.min(size, hotBytes) - 1) });
  const kinds: fc.WeightedArbitrary<ByteMutation>[] = [
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.oneof(hot, anywhere), bit: fc.nat({ max: 7 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), keep: fc.oneof(hot, anywhere) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('extend' as const), bytes: fc.uint8Array({ maxLength: 64 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('overwrite' as const), at: fc.oneof(hot, anywhere), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }) },
  ];
  if (fields.length) {
    const value = fc.oneof(fc.constantFrom(...EXTREME_NUMBERS), fc.integer(), fc.double());
    kinds.push({ weight: 4, arbitrary: fc.record({ kind: fc.constant('field' as const), field: fc.constantFrom(...fields), value }) });
  }
  return fc.oneof(...kinds);
}

/** One to four mutations of a file of about `size` bytes. */
export function byteMutations(size: number, fields: readonly BinaryField[] = [], hotBytes?: number): fc.Arbitrary<ByteMutation[]> {
  return fc.array(byteMutation(size, fields, hotBytes), { minLength: 1, maxLength: 4 });
}
