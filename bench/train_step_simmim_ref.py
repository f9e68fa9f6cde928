#!/usr/bin/python3
"""PyTorch reference of the simmim row of bench/train-step.bench.ts (bench/train-step/simmim.ts).

SimMIM on Primus (nnssl-spec §3.2): patch-embed the image into 8³ tokens, replace 75 % of them per sample
by a learned mask token before the position embedding, run every token through the Eva encoder, decode
with Primus's patch decoder; MSE over the voxels of the masked tokens; backward, gradient-norm clip 1,
AdamW (3e-4, betas 0.9/0.98, wd 5e-2). The network is the plain-torch Primus of packages/arch-primus/tools.
Usage and output: as bench/train_step_ref.py.
"""
import os
import sys

import torch

from train_step_method_common import MethodStep, eva_adamw, run

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'packages', 'arch-primus', 'tools'))
from gen_primus_fixtures import PRESETS, Primus  # noqa: E402
from train_step_primus_ref import CATEGORIES  # noqa: E402


class SimmimPrimus(Primus):
    def __init__(self, preset, size):
        p = PRESETS[preset]
        super().__init__(1, 1, p['embed_dim'], p['depth'], p['heads'], (8, 8, 8), (size, size, size))
        self.mask_param = torch.nn.Parameter(torch.randn(1, 1, p['embed_dim']) * 1e-6)

    def forward(self, x, hidden_tokens):
        t = self.down_projection.proj(x)
        b, c = t.shape[:2]
        tokens = t.permute(0, 2, 3, 4, 1).reshape(b, -1, c)
        h = hidden_tokens[..., None]
        y = self.eva(tokens * (1 - h) + self.mask_param * h)
        return self.up_projection(y.reshape(b, *self.grid, c).permute(0, 4, 1, 2, 3))


def build(preset, size, batch):
    net = SimmimPrimus(preset, size)
    g = size // 8
    tokens = g ** 3
    x = torch.randn(batch, 1, size, size, size)

    def loss():
        hidden = torch.zeros(batch, tokens)
        for b in range(batch):
            hidden[b, torch.randperm(tokens)[: int(0.75 * tokens)]] = 1
        voxels = hidden.reshape(batch, 1, g, g, g).repeat_interleave(8, 2).repeat_interleave(8, 3).repeat_interleave(8, 4)
        out = net(x, hidden)
        return ((out - x) ** 2 * voxels).sum() / voxels.sum()
    return MethodStep(net, eva_adamw(net.parameters()), 1, loss)


if __name__ == '__main__':
    run(build, CATEGORIES)
