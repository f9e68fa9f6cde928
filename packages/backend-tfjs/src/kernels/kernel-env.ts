/**
 * What the active tfjs backend can do beyond what tfjs-core promises. The pure-JS CPU kernels accept a
 * numeric (uniform) padding and dilate with stride 1; the native TensorFlow kernels take only
 * 'same'/'valid' and are not relied on to dilate. Kernels use these to skip explicit pad/crop copies,
 * which are slow on the CPU backend (its generic slice costs ~0.5 µs per element).
 */
export interface KernelEnv {
  /** Conv and pool kernels take a number as symmetric padding on all three axes. */
  readonly numericPadding: boolean;
  /** conv3d dilates by itself when every stride is 1. */
  readonly nativeDilation: boolean;
}

export const PURE_JS_ENV: KernelEnv = { numericPadding: true, nativeDilation: true };
export const NATIVE_ENV: KernelEnv = { numericPadding: false, nativeDilation: false };
