import type { Rng } from '../random/rng.js';

/**
 * One training sample as the data workers see it: channel-first volumes in (C, X, Y, Z) order,
 * row-major, float32 images and integer label/mask volumes that share the image's spatial shape.
 */
export interface Sample {
  /** Image intensities, shape [C, X, Y, Z]. */
  image: Float32Array;
  /** [C, X, Y, Z] of `image`. */
  shape: readonly [number, number, number, number];
  /** Named integer volumes ([Cm, X, Y, Z]: segmentation labels, anatomy and anonymization masks). */
  masks?: Record<string, { data: Uint8Array | Int32Array; channels: number }>;
}

/**
 * A data transform: draws every random choice from `rng` and applies them to the sample. Masks and
 * labels are transformed with the image (same geometry) and stay integer.
 */
export interface Augmentation {
  readonly name: string;
  apply(sample: Sample, rng: Rng): Sample;
}
