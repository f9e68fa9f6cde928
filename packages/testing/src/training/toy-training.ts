import {
  type Backend, mse, Rng, SGD, tensor, tidy, withBackend,
} from '@openmind-ssl/core';
import { ToyConvNet } from './toy-net.js';

export interface ToyRun {
  losses: number[];
  /** Live tensors and backend bytes after each step. */
  liveTensors: number[];
  backendBytes: number[];
}

/**
 * Trains the toy net to denoise fixed random 8³ volumes with SGD (momentum 0.9) for `steps` steps on
 * `backend`, reading the loss each step. Deterministic: the same seed gives the same data and weights.
 */
export async function runToyTraining(backend: Backend, steps: number, seed = 3): Promise<ToyRun> {
  const rng = new Rng(seed);
  const shape = [2, 1, 8, 8, 8];
  const clean = new Float32Array(2 * 512);
  for (let i = 0; i < clean.length; i++) clean[i] = Math.sin(i * 0.37) + 0.5 * Math.cos(i * 0.11);
  const noisy = clean.map((v) => v + 0.3 * rng.normal());
  const { net, opt, x, y } = withBackend(backend, () => {
    const model = new ToyConvNet(seed);
    return {
      net: model,
      opt: new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }),
      x: tensor(noisy, shape).keep(),
      y: tensor(clean, shape).keep(),
    };
  });
  const run: ToyRun = { losses: [], liveTensors: [], backendBytes: [] };
  for (let step = 0; step < steps; step++) {
    const loss = withBackend(backend, () =>
      tidy(() => {
        const l = mse(net.forward(x), y);
        l.backward();
        opt.step();
        opt.zeroGrad();
        return l.detach();
      }),
    );
    run.losses.push(await loss.item());
    loss.dispose();
    run.liveTensors.push(x.engine.liveTensors);
    run.backendBytes.push(backend.memory().bytes);
  }
  x.dispose();
  y.dispose();
  net.dispose();
  return run;
}
