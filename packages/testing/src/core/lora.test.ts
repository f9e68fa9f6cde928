import {
  addLoraAdapters, Conv3d, isLoraKey, Linear, LORA_DEFAULTS, loraParameters, mergedLoraStateDict, Module, noGrad, Rng, setBackend, type Tensor, tensor,
} from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../reference/reference-backend.js';

setBackend(new ReferenceBackend());

class Attn extends Module {
  readonly q_proj = this.child('q_proj', new Linear(6, 6, { rng: new Rng(1) }));
  readonly k_proj = this.child('k_proj', new Linear(6, 6, { bias: false, rng: new Rng(2) }));
  readonly v_proj = this.child('v_proj', new Linear(6, 6, { rng: new Rng(3) }));
  readonly proj = this.child('proj', new Linear(6, 6, { rng: new Rng(4) }));
}

/** A strided 3×3×3 conv, a 1×1×1 conv, then tokens through attention-named projections and an MLP Linear. */
class Toy extends Module {
  readonly conv = this.child('conv', new Conv3d(2, 6, 3, { stride: 2, padding: 1, rng: new Rng(5) }));
  readonly skip = this.child('skip', new Conv3d(6, 6, 1, { rng: new Rng(6) }));
  readonly attn = this.child('attn', new Attn());
  readonly mlp = this.child('mlp', new Linear(6, 3, { rng: new Rng(7) }));
  forward(x: Tensor): Tensor {
    const f = this.skip.forward(this.conv.forward(x)); // [N, 6, 3, 3, 3]
    const t = f.reshape([f.shape[0]!, 6, 27]).transpose([0, 2, 1]); // [N, 27, 6]
    const a = this.attn;
    return this.mlp.forward(a.proj.forward(a.q_proj.forward(t).add(a.k_proj.forward(t)).mul(a.v_proj.forward(t))));
  }
}

const x = () => tensor(new Rng(9).fillNormal(new Float32Array(2 * 2 * 6 ** 3)), [2, 2, 6, 6, 6]);

describe('LoRA adapters (core)', () => {
  it('go on the attention projections and the 3×3×3 convolution by default, not on the 1×1×1 conv or other Linears', () => {
    const net = new Toy();
    const names = addLoraAdapters(net, LORA_DEFAULTS, new Rng(0));
    expect(names).toEqual(['conv', 'attn.q_proj', 'attn.k_proj', 'attn.v_proj', 'attn.proj']);
    expect([...net.stateDict().keys()].filter(isLoraKey)).toEqual(names.flatMap((n) => [`${n}.adapter.lora_A`, `${n}.adapter.lora_B`]));
    expect(net.conv.adapter!.lora_A.shape).toEqual([8, 2, 3, 3, 3]);
    expect(net.conv.adapter!.lora_B.shape).toEqual([6, 8, 1, 1, 1]);
    expect(net.attn.q_proj.adapter!.lora_A.shape).toEqual([8, 6]);
    expect(net.attn.q_proj.adapter!.scale).toBe(32 / 8);
    expect(loraParameters(net)).toHaveLength(10);
    expect(() => addLoraAdapters(net, LORA_DEFAULTS, new Rng(0))).toThrow(/already has an adapter/);
  });

  it('leave a network unchanged while B is zero (fresh), and change it once B is not', async () => {
    const plain = new Toy().eval();
    const adapted = new Toy();
    addLoraAdapters(adapted, LORA_DEFAULTS, new Rng(0));
    adapted.eval();
    const before = await noGrad(() => plain.forward(x())).floats();
    expect(await noGrad(() => adapted.forward(x())).floats()).toEqual(before);
    for (const [k, p] of adapted.namedParameters()) if (k.endsWith('lora_B')) p.assign(tensor(new Rng(k.length).fillNormal(new Float32Array(p.size), 0, 0.1), p.shape));
    const after = await noGrad(() => adapted.forward(x())).floats();
    expect(after.some((v, i) => Math.abs(v - before[i]!) > 1e-3)).toBe(true);
  });

  it('merge into the weights: the network without adapters loaded with the merged state dict gives the same output (to 1e-5)', async () => {
    const adapted = new Toy();
    addLoraAdapters(adapted, { rank: 3, alpha: 6, dropout: 0.1 }, new Rng(0));
    for (const [k, p] of adapted.namedParameters()) if (k.endsWith('lora_B')) p.assign(tensor(new Rng(k.length).fillNormal(new Float32Array(p.size), 0, 0.2), p.shape));
    adapted.eval();
    const merged = mergedLoraStateDict(adapted);
    expect([...merged.keys()].some(isLoraKey)).toBe(false);
    expect(merged.get('skip.weight')).toBe(adapted.skip.weight);
    const plain = new Toy();
    plain.loadStateDict(merged);
    plain.eval();
    const want = await noGrad(() => adapted.forward(x())).floats();
    const got = await noGrad(() => plain.forward(x())).floats();
    const worst = got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0);
    expect(worst).toBeLessThan(1e-5);
    // The merge moved the adapted weights.
    expect(await merged.get('conv.weight')!.floats()).not.toEqual(await adapted.conv.weight.floats());
  });

  it('drop the adapter input in training only', async () => {
    const layer = new Linear(64, 4, { rng: new Rng(1) });
    layer.addAdapter({ rank: 2, alpha: 2, dropout: 0.5 }, new Rng(2));
    layer.adapter!.lora_B.assign(tensor(new Float32Array(8).fill(1), [4, 2]));
    const input = tensor(new Float32Array(64).fill(1), [1, 64]);
    layer.eval();
    const a = await noGrad(() => layer.forward(input)).floats();
    expect(await noGrad(() => layer.forward(input)).floats()).toEqual(a);
    layer.train();
    expect(await noGrad(() => layer.forward(input)).floats()).not.toEqual(a);
  });
});
