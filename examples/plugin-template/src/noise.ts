import type { Rng } from '@openmind-ssl/core';

/**
 * A copy of `image` with independent Gaussian noise of standard deviation `std` on every voxel, drawn
 * from `rng` so that a run is reproducible from its seed and resumable at any step.
 */
export function addGaussianNoise(image: Float32Array, std: number, rng: Rng): Float32Array {
  const noisy = new Float32Array(image.length);
  for (let i = 0; i < image.length; i++) noisy[i] = image[i]! + rng.normal(0, std);
  return noisy;
}
