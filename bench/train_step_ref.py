#!/usr/bin/python3
"""PyTorch reference of bench/train-step.bench.ts: one MAE training step of a ResEnc preset.

Usage: /usr/bin/python3 bench/train_step_ref.py <preset> <size> <batch> <steps> <threads>
Prints one JSON line: step times (ms), peak resident memory (MB) of this process.
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


def main():
    preset, size, batch, steps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    p = PRESETS[preset]
    net = ResEncUNet(1, 1, features=p['features'], blocks=p['blocks'], strides=p['strides'])
    opt = torch.optim.SGD(net.parameters(), lr=1e-2, momentum=0.99, nesterov=True, weight_decay=3e-5)
    block = 16 if size >= 64 else 8
    grid = size // block
    x = torch.randn(batch, 1, size, size, size)
    times = []
    for step in range(steps + 1):
        cells = torch.ones(batch, grid ** 3)
        for b in range(batch):
            cells[b, torch.randperm(grid ** 3)[: int(0.75 * grid ** 3)]] = 0
        mask = cells.reshape(batch, 1, grid, grid, grid)
        mask = mask.repeat_interleave(block, 2).repeat_interleave(block, 3).repeat_interleave(block, 4)
        t0 = time.perf_counter()
        out = net(x * mask)
        out = out[0] if isinstance(out, (list, tuple)) else out
        hidden = 1 - mask
        loss = ((out - x) ** 2 * hidden).sum() / hidden.sum()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 12)
        opt.step()
        float(loss)
        if step > 0:
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(json.dumps({'best_ms': times[0], 'median_ms': times[len(times) // 2], 'peak_mb': peak_mb(),
                      'params': sum(q.numel() for q in net.parameters()), 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
