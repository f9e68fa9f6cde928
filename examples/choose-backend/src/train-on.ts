import { type Backend, mse, Rng, SGD, tensor, tidy, withBackend } from '@openmind-ssl/core';
import { SmallUNet } from './small-unet.js';

export interface TrainReport {
  backend: string;
  losses: number[];
  stepsPerSecond: number;
}

/**
 * Trains the small U-Net to denoise fixed random volumes for `steps` SGD steps on `backend` and
 * measures throughput after the first step (which includes compiling on graph backends).
 */
export async function trainOn(backend: Backend, steps: number, size = 16, seed = 0): Promise<TrainReport> {
  const rng = new Rng(seed);
  const clean = Float32Array.from({ length: 2 * size ** 3 }, (_, i) => Math.sin(i * 0.05) + Math.cos(i * 0.013));
  const noisy = clean.map((v) => v + 0.3 * rng.normal());
  const shape = [2, 1, size, size, size];
  const { net, opt, x, y } = withBackend(backend, () => {
    const model = new SmallUNet(8, new Rng(seed));
    return { net: model, opt: new SGD(model.parameters(), { lr: 0.02, momentum: 0.9 }), x: tensor(noisy, shape).keep(), y: tensor(clean, shape).keep() };
  });
  const losses: number[] = [];
  let started = 0;
  for (let s = 0; s < steps; s++) {
    if (s === 1) started = performance.now();
    const loss = withBackend(backend, () =>
      tidy(() => {
        const l = mse(net.forward(x), y);
        l.backward();
        opt.step();
        opt.zeroGrad();
        return l.detach();
      }),
    );
    losses.push(await loss.item());
    loss.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  net.dispose();
  x.dispose();
  y.dispose();
  return { backend: backend.name, losses, stepsPerSecond: (steps - 1) / seconds };
}
