#!/usr/bin/python3
"""Writes the PyTorch golden fixtures of @openmind-ssl/testing (packages/testing/fixtures/torch/*.json).

Run with Debian's python3 (torch 1.13):  /usr/bin/python3 packages/testing/tools/gen_fixtures.py

Inputs are drawn as float32 (so the TypeScript side uploads exactly the same numbers), then every
computation runs in float64 on the CPU. Inputs are stored as the exact doubles of those float32 values,
outputs and gradients as float64 rounded to 12 significant digits. Each gradient is that of
sum(output * upstream) for a seeded `upstream` tensor of the output's shape. Each fixture is seeded from
its name, so rerunning reproduces the files.
"""
import json
import os
import zlib

import torch
import torch.nn.functional as F

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'torch')


def seeded(name):
    g = torch.Generator()
    g.manual_seed(zlib.crc32(name.encode()))
    return g


def randn(g, shape, std=1.0, mean=0.0):
    """Normal(mean, std) drawn and scaled in float32, returned as float64 holding exactly those values."""
    t = torch.randn(tuple(shape), generator=g, dtype=torch.float32) * std + mean
    return t.to(torch.float32).double()


def tensor_json(name, t, digits):
    flat = t.detach().reshape(-1).tolist()
    if t.dtype in (torch.int64, torch.int32):
        data, dtype = [int(v) for v in flat], 'int32'
    else:
        # digits=None: the exact double value of a float32 input, so Math.fround(v) === v on the TS side.
        data, dtype = [v if digits is None else float(f'{v:.{digits}g}') for v in flat], 'float32'
    out = {'shape': list(t.shape), 'dtype': dtype, 'data': data}
    return {'name': name, **out} if name is not None else out


def write(name, op, attrs, inputs, fn, grad_of):
    """inputs: list of (name, tensor); fn(*tensors) -> dict of outputs; grad_of: names needing gradients."""
    g = seeded(name + '/upstream')
    leaves = []
    for n, t in inputs:
        leaf = t.clone()
        if n in grad_of:
            leaf.requires_grad_(True)
        leaves.append(leaf)
    outputs = fn(*leaves)
    main = next(iter(outputs.values()))
    upstream = randn(g, main.shape)
    (main * upstream).sum().backward()
    fixture = {
        'name': name,
        'op': op,
        'generator': f'torch {torch.__version__}, float64 on CPU (tools/gen_fixtures.py)',
        'attrs': attrs,
        'inputs': [tensor_json(n, t, None) for n, t in inputs],
        'upstream': tensor_json('upstream', upstream, None),
        'outputs': {k: tensor_json(None, v, 12) for k, v in outputs.items()},
        'grads': {n: tensor_json(None, leaf.grad, 12) for (n, _), leaf in zip(inputs, leaves) if n in grad_of},
    }
    with open(os.path.join(OUT_DIR, f'{name}.json'), 'w') as f:
        json.dump(fixture, f, separators=(',', ':'))
        f.write('\n')


def conv3d_fixture(name, x_shape, w_shape, stride=1, padding=0, dilation=1, groups=1):
    g = seeded(name)
    trip = lambda v: [v] * 3 if isinstance(v, int) else list(v)
    fan_in = w_shape[1] * w_shape[2] * w_shape[3] * w_shape[4]
    x, w = randn(g, x_shape), randn(g, w_shape, fan_in ** -0.5)
    attrs = {'stride': trip(stride), 'padding': trip(padding), 'dilation': trip(dilation), 'groups': groups}
    write(name, 'conv3d', attrs, [('x', x), ('weight', w)],
          lambda x, w: {'y': F.conv3d(x, w, None, tuple(attrs['stride']), tuple(attrs['padding']),
                                      tuple(attrs['dilation']), groups)}, {'x', 'weight'})


def conv_transpose3d_fixture(name, x_shape, w_shape, stride=1, padding=0, output_padding=0, dilation=1, groups=1):
    g = seeded(name)
    trip = lambda v: [v] * 3 if isinstance(v, int) else list(v)
    fan_in = w_shape[0] // groups * w_shape[2] * w_shape[3] * w_shape[4]
    x, w = randn(g, x_shape), randn(g, w_shape, fan_in ** -0.5)
    attrs = {'stride': trip(stride), 'padding': trip(padding), 'outputPadding': trip(output_padding),
             'dilation': trip(dilation), 'groups': groups}
    write(name, 'convTranspose3d', attrs, [('x', x), ('weight', w)],
          lambda x, w: {'y': F.conv_transpose3d(x, w, None, tuple(attrs['stride']), tuple(attrs['padding']),
                                                tuple(attrs['outputPadding']), groups, tuple(attrs['dilation']))},
          {'x', 'weight'})


def pool3d_fixture(name, mode, x_shape, kernel, stride, padding):
    g = seeded(name)
    x = randn(g, x_shape)
    attrs = {'mode': mode, 'kernelSize': [kernel] * 3, 'stride': [stride] * 3, 'padding': [padding] * 3}
    if mode == 'max':
        fn = lambda x: {'y': F.max_pool3d(x, kernel, stride, padding)}
    else:
        fn = lambda x: {'y': F.avg_pool3d(x, kernel, stride, padding, count_include_pad=True)}
    write(name, 'pool3d', attrs, [('x', x)], fn, {'x'})


def instance_norm_fixture(name, x_shape):
    g = seeded(name)
    c = x_shape[1]
    x = randn(g, x_shape, 2.0, 0.5)
    weight, bias = randn(g, [c], 0.5, 1.0), randn(g, [c], 0.5)
    attrs = {'eps': 1e-5, 'affine': True}
    write(name, 'instanceNorm', attrs, [('x', x), ('weight', weight), ('bias', bias)],
          lambda x, w, b: {'y': F.instance_norm(x, weight=w, bias=b, eps=1e-5)}, {'x', 'weight', 'bias'})


def cross_entropy_fixture(name, logits_shape, label_smoothing):
    g = seeded(name)
    logits = randn(g, logits_shape, 2.0)
    target_shape = [logits_shape[0], *logits_shape[2:]]
    target = torch.randint(0, logits_shape[1], target_shape, generator=g)
    attrs = {'labelSmoothing': label_smoothing, 'reduction': 'mean', 'classAxis': 1}
    write(name, 'crossEntropy', attrs, [('logits', logits), ('target', target)],
          lambda lg, t: {'loss': F.cross_entropy(lg, t, reduction='mean', label_smoothing=label_smoothing)},
          {'logits'})


def interpolate_fixture(name, x_shape, align_corners, scale_factor=None, size=None):
    g = seeded(name)
    x = randn(g, x_shape)
    attrs = {'mode': 'trilinear', 'alignCorners': align_corners}
    if scale_factor is not None:
        attrs['scaleFactor'] = [scale_factor] * 3
    if size is not None:
        attrs['size'] = list(size)
    fn = lambda x: {'y': F.interpolate(x, size=size, scale_factor=scale_factor, mode='trilinear',
                                       align_corners=align_corners)}
    write(name, 'interpolate', attrs, [('x', x)], fn, {'x'})


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for f in os.listdir(OUT_DIR):
        if f.endswith('.json'):
            os.remove(os.path.join(OUT_DIR, f))
    torch.set_default_dtype(torch.float64)

    conv3d_fixture('conv3d_basic', [1, 2, 4, 4, 4], [3, 2, 3, 3, 3])
    conv3d_fixture('conv3d_stride2_pad1', [1, 2, 5, 6, 5], [2, 2, 3, 3, 3], stride=2, padding=1)
    conv3d_fixture('conv3d_dilation2_pad2', [1, 1, 6, 6, 6], [2, 1, 3, 3, 3], padding=2, dilation=2)
    conv3d_fixture('conv3d_groups2_pad1_batch2', [2, 4, 3, 4, 3], [4, 2, 3, 3, 3], padding=1, groups=2)
    conv3d_fixture('conv3d_mixed_attrs', [1, 4, 6, 5, 4], [2, 2, 2, 3, 1],
                   stride=(2, 1, 2), padding=(1, 1, 0), dilation=(1, 2, 1), groups=2)

    conv_transpose3d_fixture('conv_transpose3d_k2s2', [1, 4, 3, 3, 3], [4, 2, 2, 2, 2], stride=2)
    conv_transpose3d_fixture('conv_transpose3d_k3s2_pad1_outpad1', [1, 2, 3, 3, 3], [2, 3, 3, 3, 3],
                             stride=2, padding=1, output_padding=1)
    conv_transpose3d_fixture('conv_transpose3d_groups2_dilation2', [1, 4, 3, 4, 3], [4, 1, 3, 3, 3],
                             padding=1, dilation=2, groups=2)

    pool3d_fixture('max_pool3d_k2s2', 'max', [1, 2, 4, 4, 4], 2, 2, 0)
    pool3d_fixture('max_pool3d_k3s2_pad1', 'max', [1, 2, 5, 6, 5], 3, 2, 1)
    pool3d_fixture('avg_pool3d_k2s2', 'avg', [1, 2, 4, 4, 4], 2, 2, 0)
    pool3d_fixture('avg_pool3d_k3s2_pad1', 'avg', [1, 2, 5, 6, 5], 3, 2, 1)

    instance_norm_fixture('instance_norm_affine', [2, 3, 4, 4, 4])
    instance_norm_fixture('instance_norm_affine_odd', [1, 2, 3, 5, 4])

    cross_entropy_fixture('cross_entropy_3d', [2, 4, 3, 3, 3], 0.0)
    cross_entropy_fixture('cross_entropy_3d_smoothing0.1', [2, 4, 3, 3, 3], 0.1)
    cross_entropy_fixture('cross_entropy_2d_smoothing0.1', [6, 5], 0.1)

    interpolate_fixture('trilinear_scale2', [1, 2, 3, 4, 3], False, scale_factor=2)
    interpolate_fixture('trilinear_scale2_align_corners', [1, 2, 3, 4, 3], True, scale_factor=2)
    interpolate_fixture('trilinear_size', [1, 2, 3, 4, 5], False, size=(5, 7, 3))
    interpolate_fixture('trilinear_size_align_corners', [1, 2, 3, 4, 5], True, size=(5, 7, 3))


if __name__ == '__main__':
    main()
