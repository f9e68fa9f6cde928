#!/usr/bin/python3
"""PyTorch reference of bench/train-step.bench.ts: one MAE training step of a ResEnc preset.

Usage: /usr/bin/python3 bench/train_step_ref.py <preset> <size> <batch> <steps> <threads> [<warmup>] [--profile]
Prints one JSON line: step times (ms) after <warmup> steps (default 1), peak resident memory (MB) of this
process; with --profile, one step under torch.autograd.profiler instead: self CPU time by category and op.
The network is the plain-torch ResEnc U-Net built from the spec (packages/arch-resenc/tools), the step is
what ours does: 75 % of 16³ blocks masked (8³ below 64³ patches), forward, masked-voxel MSE, backward,
gradient-norm clip 12, SGD (lr 1e-2, momentum 0.99, Nesterov, weight decay 3e-5).
"""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'packages', 'arch-resenc', 'tools'))
from gen_resenc_fixtures import PRESETS, ResEncUNet  # noqa: E402


def peak_mb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) / 1024
    return float('nan')


CATEGORIES = [
    ('conv forward', ('aten::mkldnn_convolution', 'aten::convolution', 'aten::_convolution')),
    ('conv backward (input + filter)', ('aten::convolution_backward',)),
    ('transposed conv forward', ('aten::slow_conv_transpose3d',)),
    ('instance norm', ('aten::native_batch_norm', 'aten::native_batch_norm_backward')),
    ('leaky relu', ('aten::leaky_relu', 'aten::leaky_relu_backward')),
]


def category(name):
    for cat, names in CATEGORIES:
        if name in names:
            return cat
    return 'element-wise, reductions, optimizer, copies'


def main():
    preset, size, batch, steps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    warmup = int(sys.argv[6]) if len(sys.argv) > 6 and not sys.argv[6].startswith('-') else 1
    profile = '--profile' in sys.argv
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    p = PRESETS[preset]
    net = ResEncUNet(1, 1, features=p['features'], blocks=p['blocks'], strides=p['strides'])
    opt = torch.optim.SGD(net.parameters(), lr=1e-2, momentum=0.99, nesterov=True, weight_decay=3e-5)
    block = 16 if size >= 64 else 8
    grid = size // block
    x = torch.randn(batch, 1, size, size, size)
    times = []
    cpu = []

    def step():
        cells = torch.ones(batch, grid ** 3)
        for b in range(batch):
            cells[b, torch.randperm(grid ** 3)[: int(0.75 * grid ** 3)]] = 0
        mask = cells.reshape(batch, 1, grid, grid, grid)
        mask = mask.repeat_interleave(block, 2).repeat_interleave(block, 3).repeat_interleave(block, 4)
        t0 = time.perf_counter()
        c0 = time.process_time()
        out = net(x * mask)
        out = out[0] if isinstance(out, (list, tuple)) else out
        hidden = 1 - mask
        loss = ((out - x) ** 2 * hidden).sum() / hidden.sum()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 12)
        opt.step()
        float(loss)
        cpu.append((time.process_time() - c0) * 1000)
        return (time.perf_counter() - t0) * 1000

    for _ in range(warmup):
        step()
    if profile:
        with torch.autograd.profiler.profile() as prof:
            ms = step()
        events = [e for e in prof.key_averages() if e.self_cpu_time_total > 0]
        total = sum(e.self_cpu_time_total for e in events) / 1000
        cats = {}
        for e in events:
            c = category(e.key)
            cats[c] = cats.get(c, 0) + e.self_cpu_time_total / 1000
        ops = sorted(events, key=lambda e: -e.self_cpu_time_total)[:20]
        print(json.dumps({
            'step_ms': ms,
            'kernels': [{'name': c, 'ms': t, 'share': t / total} for c, t in sorted(cats.items(), key=lambda kv: -kv[1])],
            'ops': [{'name': e.key, 'ms': e.self_cpu_time_total / 1000, 'share': e.self_cpu_time_total / 1000 / total, 'calls': e.count} for e in ops],
        }))
        return
    cpu.clear()
    for _ in range(steps):
        times.append(step())
    times.sort()
    cpu.sort()
    print(json.dumps({'best_ms': times[0], 'median_ms': times[len(times) // 2], 'cpu_ms': cpu[len(cpu) // 2], 'peak_mb': peak_mb(),
                      'params': sum(q.numel() for q in net.parameters()), 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
