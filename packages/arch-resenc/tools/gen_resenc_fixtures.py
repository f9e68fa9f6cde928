#!/usr/bin/python3
"""Writes the PyTorch fixtures of @openmind-ssl/arch-resenc.

The Residual Encoder U-Net is rebuilt here in plain torch from the reference facts
(shared/reference/nnssl-spec.md §4.1), with the same module nesting as dynamic-network-architectures
(DNA), so its state dict carries DNA's key names including the duplicate aliases (`all_modules.*`,
`decoder.encoder.*`). Outputs, in ../fixtures/:

  resenc-keys.json     every state-dict key with its shape and whether it is an alias, per preset
                       (resenc-l, resenc-small, resenc-tiny; 1 in / 1 out channel), plus per-part counts
  resenc-forward.json  forward outputs of resenc-tiny in float64 with deterministic weights

Weights and inputs are not stored: each tensor is filled by a 32-bit integer hash (`det_values`) that the
TypeScript test reproduces exactly, from the (seed, offset, scale) recipe written next to each key.

Run:  /usr/bin/python3 tools/gen_resenc_fixtures.py [--dna /path/to/dynamic-network-architectures]
With --dna the plain-torch model is cross-checked against DNA's own ResidualEncoderUNet (same keys,
shapes and outputs), if that source tree is available; it is not needed otherwise.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'testing', 'tools'))
from det_values import det_values  # noqa: E402  (path set just above)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures')

PRESETS = {
    'resenc-l': dict(features=[32, 64, 128, 256, 320, 320], blocks=[1, 3, 4, 6, 6, 6], strides=[1, 2, 2, 2, 2, 2]),
    'resenc-small': dict(features=[16, 32, 64, 128, 256], blocks=[1, 2, 2, 2, 2], strides=[1, 2, 2, 2, 2]),
    'resenc-tiny': dict(features=[8, 16, 32, 64], blocks=[1, 1, 1, 1], strides=[1, 2, 2, 2]),
}


# --- the architecture, from the spec -------------------------------------------------------------

class ConvNormAct(nn.Module):
    """conv (same padding) -> InstanceNorm3d(affine) -> optional LeakyReLU; layers listed again in all_modules."""

    def __init__(self, cin, cout, k, stride, bias, act):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, k, stride, padding=(k - 1) // 2, bias=bias)
        self.norm = nn.InstanceNorm3d(cout, eps=1e-5, affine=True)
        layers = [self.conv, self.norm]
        if act:
            self.nonlin = nn.LeakyReLU(0.01)
            layers.append(self.nonlin)
        self.all_modules = nn.Sequential(*layers)

    def forward(self, x):
        return self.all_modules(x)


class StackedConvs(nn.Module):
    def __init__(self, n, cin, cout, k, stride, bias):
        super().__init__()
        self.convs = nn.Sequential(*[ConvNormAct(cin if i == 0 else cout, cout, k, stride if i == 0 else 1, bias, True) for i in range(n)])

    def forward(self, x):
        return self.convs(x)


class BlockD(nn.Module):
    def __init__(self, cin, cout, k, stride, bias):
        super().__init__()
        self.conv1 = ConvNormAct(cin, cout, k, stride, bias, True)
        self.conv2 = ConvNormAct(cout, cout, k, 1, bias, False)
        self.nonlin2 = nn.LeakyReLU(0.01)
        ops = []
        if stride != 1:
            ops.append(nn.AvgPool3d(stride, stride))
        if cin != cout:
            ops.append(ConvNormAct(cin, cout, 1, 1, False, False))
        self.skip = nn.Sequential(*ops) if ops else None

    def forward(self, x):
        r = self.skip(x) if self.skip is not None else x
        return self.nonlin2(self.conv2(self.conv1(x)) + r)


class Stage(nn.Module):
    def __init__(self, n, cin, cout, k, stride, bias):
        super().__init__()
        self.blocks = nn.Sequential(*[BlockD(cin if i == 0 else cout, cout, k, stride if i == 0 else 1, bias) for i in range(n)])

    def forward(self, x):
        return self.blocks(x)


class Encoder(nn.Module):
    def __init__(self, cin, features, blocks, strides, bias=True):
        super().__init__()
        self.features, self.strides = features, strides
        self.stem = StackedConvs(1, cin, features[0], 3, 1, bias)
        self.stages = nn.Sequential(*[Stage(blocks[s], features[0] if s == 0 else features[s - 1], features[s], 3, strides[s], bias)
                                      for s in range(len(features))])

    def forward(self, x):
        x = self.stem(x)
        outs = []
        for s in self.stages:
            x = s(x)
            outs.append(x)
        return outs


class Decoder(nn.Module):
    def __init__(self, encoder, num_classes, deep_supervision, bias=True):
        super().__init__()
        self.encoder = encoder  # the reference keeps this alias, hence the decoder.encoder.* keys
        self.deep_supervision = deep_supervision
        f, n = encoder.features, len(encoder.features)
        self.stages = nn.ModuleList([StackedConvs(1, 2 * f[n - 2 - s], f[n - 2 - s], 3, 1, bias) for s in range(n - 1)])
        self.transpconvs = nn.ModuleList([nn.ConvTranspose3d(f[n - 1 - s], f[n - 2 - s], encoder.strides[n - 1 - s], encoder.strides[n - 1 - s], bias=bias)
                                          for s in range(n - 1)])
        self.seg_layers = nn.ModuleList([nn.Conv3d(f[n - 2 - s], num_classes, 1, 1, 0, bias=True) for s in range(n - 1)])

    def forward(self, skips):
        x = skips[-1]
        outs = []
        for s in range(len(self.stages)):
            x = self.stages[s](torch.cat((self.transpconvs[s](x), skips[-(s + 2)]), 1))
            if self.deep_supervision or s == len(self.stages) - 1:
                outs.append(self.seg_layers[s](x))
        return outs[::-1]


class ResEncUNet(nn.Module):
    def __init__(self, cin, cout, features, blocks, strides, deep_supervision=False):
        super().__init__()
        self.encoder = Encoder(cin, features, blocks, strides)
        self.decoder = Decoder(self.encoder, cout, deep_supervision)

    def forward(self, x):
        return self.decoder(self.encoder(x))


# --- deterministic values: testing/tools/det_values.py, reproduced bit-exactly in TypeScript ---------


def recipe(key, shape, seed):
    if len(shape) >= 2:
        fan_in = int(np.prod(shape[1:]))
        return dict(key=key, shape=list(shape), seed=seed, offset=0.0, scale=1.0 / np.sqrt(fan_in))
    if key.endswith('norm.weight'):
        return dict(key=key, shape=list(shape), seed=seed, offset=1.0, scale=0.2)
    return dict(key=key, shape=list(shape), seed=seed, offset=0.0, scale=0.2)


def filled(r):
    n = int(np.prod(r['shape']))
    v = np.float32(r['offset'] + r['scale'] * det_values(n, r['seed']))  # float32 values, as the TS side uploads
    return torch.from_numpy(v.astype(np.float64)).reshape(r['shape'])


def is_alias(key):
    return '.all_modules.' in key or key.startswith('decoder.encoder.')


def canonical_state(model):
    return [(k, tuple(v.shape)) for k, v in model.state_dict().items() if not is_alias(k)]


# --- fixtures ------------------------------------------------------------------------------------

def part_counts(model):
    sd = {k: v for k, v in model.state_dict().items() if not is_alias(k)}
    def total(prefix):
        return int(sum(v.numel() for k, v in sd.items() if k.startswith(prefix)))
    n = len(model.encoder.features)
    return {
        'encoder.stem': total('encoder.stem.'),
        'encoder.stages': [total(f'encoder.stages.{s}.') for s in range(n)],
        'encoder': total('encoder.'),
        'decoder.stages': total('decoder.stages.'),
        'decoder.transpconvs': total('decoder.transpconvs.'),
        'decoder.seg_layers': total('decoder.seg_layers.'),
        'total': total(''),
    }


def keys_fixture():
    out = {}
    for name, p in PRESETS.items():
        model = ResEncUNet(1, 1, p['features'], p['blocks'], p['strides'])
        sd = model.state_dict()
        out[name] = {
            'preset': p,
            'keys': [[k, list(v.shape), is_alias(k)] for k, v in sd.items()],
            'counts': part_counts(model),
        }
    l = out['resenc-l']
    keys = [k for k, _, _ in l['keys']]
    # Reference facts (nnssl-spec §4.1 table (A) and key counts): the plain-torch rebuild must agree.
    assert l['counts']['encoder.stem'] == 960
    assert l['counts']['encoder.stages'] == [55488, 611584, 3329280, 20391424, 32718720, 33189120], l['counts']
    assert l['counts']['encoder'] == 90296576
    assert l['counts']['decoder.stages'] == 10232160
    assert l['counts']['decoder.transpconvs'] == 1819424
    assert l['counts']['decoder.seg_layers'] == 805
    assert l['counts']['total'] == 102348965
    assert len(keys) == 956 and sum('.all_modules.' in k for k in keys) == 468 and sum(k.startswith('decoder.encoder.') for k in keys) == 448
    five = ResEncUNet(1, 5, **{k: PRESETS['resenc-l'][k] for k in ('features', 'blocks', 'strides')})
    assert part_counts(five)['total'] == 102352185
    return out


def forward_case(name, cin, cout, input_shape, deep_supervision, input_seed):
    p = PRESETS['resenc-tiny']
    model = ResEncUNet(cin, cout, p['features'], p['blocks'], p['strides'], deep_supervision).double().eval()
    recipes = [recipe(k, shape, seed) for seed, (k, shape) in enumerate(canonical_state(model))]
    with torch.no_grad():
        state = {r['key']: filled(r) for r in recipes}
        # the aliases are the same tensors; load_state_dict(strict) wants them too
        full = {k: state[canonical_key(k)] for k in model.state_dict().keys()}
        model.load_state_dict(full, strict=True)
        x_recipe = dict(key='input', shape=list(input_shape), seed=input_seed, offset=0.0, scale=1.0)
        x = filled(x_recipe)
        skips = model.encoder(x)
        outs = model.decoder(skips)
    return model, x, {
        'name': name,
        'preset': 'resenc-tiny',
        'inChannels': cin,
        'outChannels': cout,
        'deepSupervision': deep_supervision,
        'input': x_recipe,
        'weights': recipes,
        'outputs': [{'shape': list(o.shape), 'data': rounded(o)} for o in outs],
        'encoder': [{'shape': list(s.shape), 'sum': float(s.sum()), 'sumSquares': float((s * s).sum()),
                     'first': rounded(s.flatten()[:16])} for s in skips],
    }


def rounded(t):
    # 10 significant digits: far below the 1e-5 test tolerance, and a third of the file size of repr().
    return [float(f'{v:.10g}') for v in t.flatten().tolist()]


def canonical_key(k):
    if k.startswith('decoder.encoder.'):
        k = k[len('decoder.'):]
    parts = k.split('.')
    if 'all_modules' in parts:
        i = parts.index('all_modules')
        parts[i:i + 2] = ['conv' if parts[i + 1] == '0' else 'norm']
    return '.'.join(parts)


def check_against_dna(dna_path, cases):
    """Optional: DNA's ResidualEncoderUNet must have the same keys, shapes and outputs as the rebuild."""
    sys.path.insert(0, dna_path)
    from dynamic_network_architectures.architectures.unet import ResidualEncoderUNet

    def dna(cin, cout, p, ds):
        n = len(p['features'])
        return ResidualEncoderUNet(cin, n, p['features'], nn.Conv3d, [[3, 3, 3]] * n, [[s] * 3 for s in p['strides']], p['blocks'],
                                   cout, [1] * (n - 1), conv_bias=True, norm_op=nn.InstanceNorm3d,
                                   norm_op_kwargs={'eps': 1e-5, 'affine': True}, nonlin=nn.LeakyReLU,
                                   nonlin_kwargs={'inplace': True}, deep_supervision=ds)

    for name, p in PRESETS.items():
        ours = ResEncUNet(1, 1, p['features'], p['blocks'], p['strides'])
        theirs = dna(1, 1, p, False)
        a = [(k, tuple(v.shape)) for k, v in ours.state_dict().items()]
        b = [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]
        assert a == b, f'{name}: state-dict keys/shapes differ from DNA'
        print(f'DNA check {name}: {len(a)} keys identical (order and shapes)')
    for model, x, case in cases:
        theirs = dna(case['inChannels'], case['outChannels'], PRESETS['resenc-tiny'], case['deepSupervision']).double().eval()
        theirs.load_state_dict(model.state_dict(), strict=True)
        with torch.no_grad():
            y = theirs(x)
        ys = y if isinstance(y, (list, tuple)) else [y]
        ours = model(x)
        for o, ref in zip(ys, ours):
            err = float((o - ref).abs().max())
            assert err < 1e-12, f"{case['name']}: DNA output differs by {err}"
        print(f"DNA check {case['name']}: {len(ys)} output(s) identical (max abs diff < 1e-12)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dna', help='path of a dynamic-network-architectures source tree to cross-check against')
    args = ap.parse_args()
    torch.manual_seed(0)
    os.makedirs(OUT, exist_ok=True)
    keys = keys_fixture()
    cases = [
        forward_case('1in-1out', 1, 1, (1, 1, 16, 16, 16), False, 100000),
        forward_case('2in-3out-batch2-deep-supervision', 2, 3, (2, 2, 8, 8, 16), True, 100001),
    ]
    if args.dna:
        check_against_dna(args.dna, cases)
    with open(os.path.join(OUT, 'resenc-keys.json'), 'w') as f:
        json.dump({'torch': torch.__version__, 'presets': keys}, f, separators=(',', ':'))
    with open(os.path.join(OUT, 'resenc-forward.json'), 'w') as f:
        json.dump({'torch': torch.__version__, 'dtype': 'float64', 'cases': [c for _, _, c in cases]}, f, separators=(',', ':'))
    print('resenc-l:', keys['resenc-l']['counts'])
    for name in PRESETS:
        print(f"{name}: {len(keys[name]['keys'])} keys, {keys[name]['counts']['total']} parameters")


if __name__ == '__main__':
    main()
