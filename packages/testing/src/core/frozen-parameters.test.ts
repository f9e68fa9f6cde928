import { Rng, setBackend, tensor, tidy, type Tensor } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { recordKernels } from '../reference/kernel-recorder.js';
import { ReferenceBackend } from '../reference/reference-backend.js';
import { ToyConvNet } from '../training/toy-net.js';

/** Builds the toy net on a recording backend, freezes `frozen(net)`, and records one backward pass. */
async function backwardOnce(frozen: (net: ToyConvNet) => Tensor[]) {
  const rec = recordKernels(new ReferenceBackend());
  setBackend(rec.backend);
  const net = new ToyConvNet(5);
  for (const p of frozen(net)) p.requireGrad(false);
  const x = tensor(new Rng(9).fillNormal(new Float32Array(2 * 6 ** 3)), [2, 1, 6, 6, 6]).keep();
  const loss = net.forward(x).square().mean().keep();
  rec.reset();
  tidy(() => loss.backward());
  const calls = [...rec.calls];
  const grads = new Map<string, Float32Array | undefined>();
  for (const [name, p] of net.namedParameters()) grads.set(name, p.grad ? (await p.grad.data()) as Float32Array : undefined);
  setBackend(new ReferenceBackend());
  return { calls, grads, count: (k: string) => calls.filter((c) => c === k).length };
}

describe('frozen parameters (requiresGrad off)', () => {
  it('should compute no filter gradient and no input gradient behind a frozen encoder, and the same gradients elsewhere', async () => {
    const all = await backwardOnce(() => []);
    const frozen = await backwardOnce((n) => [...n.conv1.parameters(), ...n.norm.parameters()]);
    expect(all.count('conv3dBackpropFilter')).toBe(2);
    expect(all.count('conv3dBackpropInput')).toBe(1);
    // Only conv2's filter gradient: the sub-graph up to conv2's input leads to frozen leaves only.
    expect(frozen.count('conv3dBackpropFilter')).toBe(1);
    expect(frozen.count('conv3dBackpropInput')).toBe(0);
    for (const name of ['conv1.weight', 'conv1.bias', 'norm.weight', 'norm.bias']) expect(frozen.grads.get(name), name).toBeUndefined();
    for (const name of ['conv2.weight', 'conv2.bias']) expect(frozen.grads.get(name), name).toEqual(all.grads.get(name));
    expect(frozen.calls.length).toBeLessThan(all.calls.length / 2);
  });

  it('should not reduce the gradient of a frozen bias', async () => {
    const all = await backwardOnce(() => []);
    const frozen = await backwardOnce((n) => [n.conv2.bias!]);
    expect(frozen.grads.get('conv2.bias')).toBeUndefined();
    expect(frozen.grads.get('conv2.weight')).toEqual(all.grads.get('conv2.weight'));
    // The bias gradient is dy summed over batch and space: that reduction is gone, nothing else changes.
    expect(frozen.count('reduce:sum')).toBe(all.count('reduce:sum') - 1);
    expect(frozen.count('conv3dBackpropFilter')).toBe(2);
  });
});
