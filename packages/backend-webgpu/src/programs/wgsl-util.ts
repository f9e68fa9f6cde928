import type { DType } from '@openmind-ssl/core';

/** A WGSL literal of `value` in the storage type of `dtype`; non-finite floats go through bitcast. */
export function literal(value: number, dtype: DType): string {
  if (dtype === 'int32') return `${Math.trunc(value) | 0}i`;
  if (dtype === 'uint8') return `${Math.trunc(value) & 0xff}u`;
  return f32(value);
}

/**
 * ±Infinity and NaN. WGSL rejects a constant expression that evaluates to them, so they are bitcast from
 * `om_special`, a private variable every program declares (see `assembleProgram`), which is not constant.
 */
export const POS_INF = 'bitcast<f32>(om_special.x)';
export const NEG_INF = 'bitcast<f32>(om_special.y)';
export const NAN = 'bitcast<f32>(om_special.z)';

/** A WGSL f32 literal that rounds to the same float32 as `value` (NaN and ±Infinity as above). */
export function f32(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? NAN : value > 0 ? POS_INF : NEG_INF;
  const v = Math.fround(value);
  if (Object.is(v, -0)) return '-0.0f';
  // 9 significant digits identify every float32.
  return `${Number.isInteger(v) && Math.abs(v) < 1e15 ? v.toFixed(1) : v.toPrecision(9)}f`;
}

/** `${n}u`: a u32 literal. */
export function u(n: number): string {
  return `${n}u`;
}

/**
 * WGSL statements decoding linear index `idx` over `shape` (row-major) into `let <prefix><axis>` coordinates.
 * Constants are baked in, so the divisions compile to multiplications.
 */
export function decodeIndex(idx: string, shape: readonly number[], prefix: string): string {
  if (shape.length === 0) return '';
  if (shape.length === 1) return `  let ${prefix}0 = ${idx};\n`;
  const lines: string[] = [`  var ${prefix}rest = ${idx};`];
  for (let a = shape.length - 1; a > 0; a--) {
    lines.push(`  let ${prefix}${a} = ${prefix}rest % ${u(shape[a]!)};`);
    lines.push(`  ${prefix}rest = ${prefix}rest / ${u(shape[a]!)};`);
  }
  lines.push(`  let ${prefix}0 = ${prefix}rest;`);
  return `${lines.join('\n')}\n`;
}

/** `offset + Σ coord·stride` as a u32 expression, skipping zero strides. */
export function offsetExpr(coords: readonly string[], strides: readonly number[], offset = 0): string {
  const terms = coords.flatMap((c, a) => {
    const s = strides[a]!;
    if (s === 0) return [];
    return s === 1 ? [c] : [`${c} * ${u(s)}`];
  });
  // A negative offset only occurs under a bounds check, where the whole sum is non-negative.
  if (offset < 0) return `(${terms.length ? terms.join(' + ') : '0u'}) - ${u(-offset)}`;
  if (offset !== 0 || terms.length === 0) terms.push(u(offset));
  return terms.join(' + ');
}

/** Coordinate names `<prefix>0..<prefix>{rank-1}`. */
export function coordNames(prefix: string, rank: number): string[] {
  return Array.from({ length: rank }, (_, a) => `${prefix}${a}`);
}
