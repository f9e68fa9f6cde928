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
from torch_build import build_info  # noqa: E402  (bench/ is this script's own folder, first on sys.path)


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


def profile_summary(prof, step_ms, categories):
    """One profiled step as the bench stores it: self CPU time by category (first match) and the top ops."""
    events = [e for e in prof.key_averages() if e.self_cpu_time_total > 0]
    total = sum(e.self_cpu_time_total for e in events) / 1000
    cats = {}
    for e in events:
        c = next((cat for cat, names in categories if e.key in names), 'element-wise, reductions, optimizer, copies')
        cats[c] = cats.get(c, 0) + e.self_cpu_time_total / 1000
    ops = sorted(events, key=lambda e: -e.self_cpu_time_total)[:20]
    return {
        'step_ms': step_ms,
        'kernels': [{'name': c, 'ms': t, 'share': t / total} for c, t in sorted(cats.items(), key=lambda kv: -kv[1])],
        'ops': [{'name': e.key, 'ms': e.self_cpu_time_total / 1000, 'share': e.self_cpu_time_total / 1000 / total, 'calls': e.count} for e in ops],
    }


def parse_args():
    """<preset> <size> <batch> <steps> <threads> [<warmup>] [--profile], shared by both reference scripts."""
    a = sys.argv
    warmup = int(a[6]) if len(a) > 6 and not a[6].startswith('-') else 1
    return a[1], int(a[2]), int(a[3]), int(a[4]), int(a[5]), warmup, '--profile' in a


def timed_masked_step(forward, x, net, opt, clip):
    """The timed part of one MAE step: `forward()` gives the output and the 0/1 mask of the voxels scored;
    masked-voxel MSE, backward, gradient-norm clip, optimizer step, loss read. Returns wall and CPU ms."""
    t0 = time.perf_counter()
    c0 = time.process_time()
    out, hidden = forward()
    loss = ((out - x) ** 2 * hidden).sum() / hidden.sum()
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(net.parameters(), clip)
    opt.step()
    float(loss)
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000


def measure(step, warmup, steps, profile, categories, net):
    """Run `step` (returns wall and CPU ms of its timed part) and print the bench's JSON line."""
    for _ in range(warmup):
        step()
    if profile:
        with torch.autograd.profiler.profile() as prof:
            ms, _ = step()
        print(json.dumps(profile_summary(prof, ms, categories)))
        return
    wall, cpu = zip(*(step() for _ in range(steps)))
    wall, cpu = sorted(wall), sorted(cpu)
    print(json.dumps({'best_ms': wall[0], 'median_ms': wall[len(wall) // 2], 'cpu_ms': cpu[len(cpu) // 2], 'peak_mb': peak_mb(),
                      'params': sum(q.numel() for q in net.parameters()), 'torch': torch.__version__,
                      'torch_build': build_info()}))


def main():
    preset, size, batch, steps, threads, warmup, profile = parse_args()
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    p = PRESETS[preset]
    net = ResEncUNet(1, 1, features=p['features'], blocks=p['blocks'], strides=p['strides'])
    opt = torch.optim.SGD(net.parameters(), lr=1e-2, momentum=0.99, nesterov=True, weight_decay=3e-5)
    block = 16 if size >= 64 else 8
    grid = size // block
    x = torch.randn(batch, 1, size, size, size)

    def step():
        cells = torch.ones(batch, grid ** 3)
        for b in range(batch):
            cells[b, torch.randperm(grid ** 3)[: int(0.75 * grid ** 3)]] = 0
        mask = cells.reshape(batch, 1, grid, grid, grid)
        mask = mask.repeat_interleave(block, 2).repeat_interleave(block, 3).repeat_interleave(block, 4)

        def forward():
            out = net(x * mask)
            return (out[0] if isinstance(out, (list, tuple)) else out), 1 - mask
        return timed_masked_step(forward, x, net, opt, 12)

    measure(step, warmup, steps, profile, CATEGORIES, net)


if __name__ == '__main__':
    main()
