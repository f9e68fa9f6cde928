import {
  avgPool3d, type Backend, conv3d, convTranspose3d, crossEntropy, gradients, instanceNorm, interpolate, maxPool3d,
  type Tensor, tensor, tidy, withBackend,
} from '@openmind-ssl/core';
import { fixtureData, type TorchFixture } from './torch-fixture.js';
import { loadTorchFixtures } from './load-torch-fixtures.js';

type Attrs = Record<string, unknown>;

/** Each fixture op run through core's public ops (so core's composites and gradient rules are checked too). */
const RUN: Record<string, (inputs: Record<string, Tensor>, a: Attrs) => Tensor> = {
  conv3d: ({ x, weight, bias }, a) => conv3d(x!, weight!, bias, a),
  convTranspose3d: ({ x, weight, bias }, a) => convTranspose3d(x!, weight!, bias, a),
  pool3d: ({ x }, a) => (a.mode === 'max' ? maxPool3d : avgPool3d)(x!, { kernelSize: a.kernelSize as number[], stride: a.stride as number[], padding: a.padding as number[] }),
  instanceNorm: ({ x, weight, bias }, a) => instanceNorm(x!, weight, bias, a.eps as number),
  crossEntropy: ({ logits, target }, a) => crossEntropy(logits!, target!, (a.labelSmoothing as number | undefined) ?? 0),
  interpolate: ({ x }, a) => interpolate(x!, a),
};

export interface OpGoldenCheck {
  id: string;
  fixture: TorchFixture;
}

/** One check per PyTorch fixture, id `torch-op/<fixture name>`. */
export function opGoldenChecks(): OpGoldenCheck[] {
  return loadTorchFixtures()
    .filter((f) => RUN[f.op])
    .map((fixture) => ({ id: `torch-op/${fixture.name}`, fixture }));
}

/**
 * Runs a fixture's op with core autograd on `backend` and compares output and input gradients with
 * PyTorch: |a − e| ≤ tol·(|e| + 1). Returns the problems (empty when it matches).
 */
export async function checkOpGolden(backend: Backend, f: TorchFixture, tol: number): Promise<string[]> {
  const { y, grads, names } = withBackend(backend, () =>
    tidy(() => {
      const inputs: Record<string, Tensor> = {};
      for (const t of f.inputs) {
        inputs[t.name!] = tensor(fixtureData(t), t.shape, { dtype: t.dtype });
        if (t.dtype === 'float32') inputs[t.name!]!.requireGrad();
      }
      const out = RUN[f.op]!(inputs, f.attrs as Attrs);
      const gradNames = Object.keys(f.grads);
      const loss = out.mul(tensor(fixtureData(f.upstream), f.upstream.shape)).sum();
      const gs = gradients(loss, gradNames.map((n) => inputs[n]!));
      return { y: out, grads: gs, names: gradNames };
    }),
  );
  const problems: string[] = [];
  const compare = async (label: string, t: Tensor | undefined, expected: { shape: readonly number[]; data: readonly number[] }) => {
    if (!t) return void problems.push(`${label}: no gradient`);
    if (t.shape.join() !== expected.shape.join()) return void problems.push(`${label}: shape [${t.shape}], expected [${expected.shape}]`);
    const got = await t.data();
    let bad = 0;
    let first = '';
    got.forEach((v, i) => {
      const e = expected.data[i]!;
      if (!(Math.abs(v - e) <= tol * (Math.abs(e) + 1))) {
        if (!bad) first = ` first at ${i}: got ${v}, expected ${e}`;
        bad++;
      }
    });
    if (bad) problems.push(`${label}: ${bad} of ${got.length} values differ beyond ${tol}${first}`);
  };
  const [outName] = Object.keys(f.outputs);
  await compare('output', y, f.outputs[outName!]!);
  for (let i = 0; i < names.length; i++) await compare(`grad ${names[i]}`, grads[i], f.grads[names[i]!]!);
  y.dispose();
  grads.forEach((g) => g?.dispose());
  return problems;
}
