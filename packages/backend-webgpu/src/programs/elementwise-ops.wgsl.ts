import type { BinaryOp, DType, UnaryOp } from '@openmind-ssl/core';
import { erfWgsl } from './erf.wgsl.js';
import { NAN, POS_INF } from './wgsl-util.js';

/** A WGSL expression and the helper functions it calls. */
export interface OpCode {
  readonly expr: string;
  readonly helpers: string;
}


/** Float unary ops on `x: f32`. NaN handling follows the reference (relu(NaN) = 0, sign keeps ±0 and NaN). */
const FLOAT_UNARY: Record<UnaryOp, string> = {
  neg: '-x',
  abs: 'abs(x)',
  sign: 'select(select(x, -1.0, x < 0.0), 1.0, x > 0.0)',
  exp: 'exp(x)',
  log: 'log(x)',
  sqrt: 'sqrt(x)',
  rsqrt: 'inverseSqrt(x)',
  reciprocal: '1.0 / x',
  sigmoid: '1.0 / (1.0 + exp(-x))',
  // Past |x| = 10 tanh is ±1 in float32; clamping keeps exp-based implementations from inf/inf = NaN.
  tanh: 'tanh(clamp(x, -10.0, 10.0))',
  erf: 'erf_f(x)',
  relu: 'select(0.0, x, x > 0.0)',
  sin: 'sin(x)',
  cos: 'cos(x)',
  floor: 'floor(x)',
  ceil: 'ceil(x)',
  round: 'round(x)',
  square: 'x * x',
};

/** Integer ops done exactly in i32; the rest go through f32 and truncate, as a cast would. */
const INT_UNARY: Partial<Record<UnaryOp, string>> = {
  neg: '-x', abs: 'abs(x)', sign: 'sign(x)', relu: 'max(x, 0i)', square: 'x * x', floor: 'x', ceil: 'x', round: 'x',
};

/** `expr` over `v0` for unary `op` on `dtype`, yielding the same dtype. */
export function unaryOp(op: UnaryOp, dtype: DType): OpCode {
  const helpers = op === 'erf' ? erfWgsl() : '';
  if (dtype === 'float32') return { expr: `unary_f(v0)`, helpers: `${helpers}\nfn unary_f(x: f32) -> f32 { return ${FLOAT_UNARY[op]}; }` };
  const exact = INT_UNARY[op];
  const body = exact ?? `f32_to_i32(${FLOAT_UNARY[op].replace(/\bx\b/g, 'xf')})`;
  const fn = `fn unary_i(x: i32) -> i32 { let xf = f32(x); return ${body}; }`;
  const expr = dtype === 'int32' ? 'unary_i(v0)' : 'u32(unary_i(i32(v0))) & 255u';
  return { expr, helpers: `${helpers}\n${F32_TO_I32}\n${fn}` };
}

/** float → int as the contract's cast: truncate toward zero, non-finite → 0. */
const F32_TO_I32 = 'fn f32_to_i32(x: f32) -> i32 { return select(0i, i32(x), abs(x) < 2147483648.0); }';

const POW_F = `fn pow_f(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  let m = abs(a);
  var r = select(pow(m, b), select(0.0, ${POS_INF}, b < 0.0), m == 0.0);
  if (a < 0.0) {
    if (floor(b) != b) { return ${NAN}; }
    if (fract(b * 0.5) != 0.0) { r = -r; }
  }
  return r;
}`;

/** Integer power by squaring; negative exponents give 1/aⁿ truncated (0 unless |a| = 1). */
const POW_I = `fn pow_i(a: i32, b: i32) -> i32 {
  if (b < 0) { return select(0i, select(1i, select(-1i, 1i, (b & 1) == 0), a == -1), a == 1 || a == -1); }
  var base = a;
  var e = u32(b);
  var r = 1i;
  loop {
    if (e == 0u) { break; }
    if ((e & 1u) == 1u) { r = r * base; }
    base = base * base;
    e = e >> 1u;
  }
  return r;
}`;

const COMPARE: Partial<Record<BinaryOp, string>> = {
  equal: '==', notEqual: '!=', less: '<', lessEqual: '<=', greater: '>', greaterEqual: '>=',
};

/** `expr` over `v0, v1` for binary `op`; comparisons yield u32 0/1 (uint8), the rest the input dtype. */
export function binaryOp(op: BinaryOp, dtype: DType): OpCode {
  const cmp = COMPARE[op];
  if (cmp) return { expr: `select(0u, 1u, v0 ${cmp} v1)`, helpers: '' };
  if (dtype === 'float32') {
    const nanOr = (e: string) => `select(${e}, v0 + v1, v0 != v0 || v1 != v1)`;
    const table: Record<string, string> = {
      add: 'v0 + v1', sub: 'v0 - v1', mul: 'v0 * v1', div: 'v0 / v1', pow: 'pow_f(v0, v1)',
      maximum: nanOr('max(v0, v1)'), minimum: nanOr('min(v0, v1)'),
    };
    return { expr: table[op]!, helpers: op === 'pow' ? POW_F : '' };
  }
  const a = dtype === 'uint8' ? 'i32(v0)' : 'v0';
  const b = dtype === 'uint8' ? 'i32(v1)' : 'v1';
  const table: Record<string, string> = {
    add: `${a} + ${b}`, sub: `${a} - ${b}`, mul: `${a} * ${b}`,
    // The reference divides in float64 and truncates; x/0 is ±inf or NaN, which truncate to 0.
    div: `select(${a} / ${b}, 0i, ${b} == 0i)`,
    pow: `pow_i(${a}, ${b})`, maximum: `max(${a}, ${b})`, minimum: `min(${a}, ${b})`,
  };
  const e = table[op]!;
  return { expr: dtype === 'uint8' ? `u32(${e}) & 255u` : e, helpers: op === 'pow' ? POW_I : '' };
}

/** `expr` over `v0` converting `from` → `to` with the contract's cast rules. */
export function castOp(from: DType, to: DType): OpCode {
  if (from === to) return { expr: 'v0', helpers: '' };
  if (to === 'float32') return { expr: 'f32(v0)', helpers: '' };
  if (from === 'float32') {
    return { expr: to === 'int32' ? 'f32_to_i32(v0)' : 'bitcast<u32>(f32_to_i32(v0)) & 255u', helpers: F32_TO_I32 };
  }
  return { expr: to === 'int32' ? 'i32(v0)' : 'bitcast<u32>(v0) & 255u', helpers: '' };
}
