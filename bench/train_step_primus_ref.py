#!/usr/bin/python3
"""PyTorch reference of the Primus rows of bench/train-step.bench.ts: one MAE step of EvaMAE.

Usage: /usr/bin/python3 bench/train_step_primus_ref.py <preset> <size> <batch> <steps> <threads> [<warmup>] [--profile]
Prints one JSON line, as bench/train_step_ref.py (whose timing harness it uses): step times (ms) after
<warmup> steps, CPU time, peak resident memory (MB); with --profile, one step's self CPU time by category.
The network is the plain-torch Primus built from the spec (packages/arch-primus/tools); the step is what
ours does (nnssl BaseEvaMAETrainer): patch-embed the whole image, keep 25 % of the tokens per sample,
encode the kept ones, put them back among mask tokens, decode with 2 EVA blocks, project to voxels,
MSE over the voxels of the dropped tokens, backward, gradient-norm clip 1, AdamW (3e-4, betas 0.9/0.98,
weight decay 5e-2).
"""
import os
import sys

import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, '..', 'packages', 'arch-primus', 'tools'))
sys.path.insert(0, here)
from gen_primus_fixtures import PRESETS, Eva, PatchDecode, PatchEmbed  # noqa: E402
from train_step_ref import measure, parse_args, timed_masked_step  # noqa: E402

CATEGORIES = [
    ('matrix products', ('aten::mm', 'aten::bmm', 'aten::addmm', 'aten::matmul', 'aten::linear')),
    ('attention softmax', ('aten::_softmax', 'aten::_softmax_backward_data')),
    ('layer norm', ('aten::native_layer_norm', 'aten::native_layer_norm_backward')),
    ('patch embedding and decoding convs', ('aten::mkldnn_convolution', 'aten::convolution_backward', 'aten::slow_conv_transpose3d',
                                            'aten::slow_conv_transpose3d_backward')),
]


class EvaMAEStep(torch.nn.Module):
    def __init__(self, embed_dim, depth, heads, size):
        super().__init__()
        self.grid = (size // 8,) * 3
        self.down_projection = PatchEmbed((8, 8, 8), 1, embed_dim)
        self.eva = Eva(embed_dim, depth, heads, self.grid)
        self.decoder = Eva(embed_dim, 2, heads, self.grid)
        self.up_projection = PatchDecode((8, 8, 8), embed_dim, 1)
        self.mask_token = torch.nn.Parameter(torch.randn(1, 1, embed_dim) * 1e-3)

    def forward(self, x, keep):
        t = self.down_projection.proj(x)
        b, c = t.shape[:2]
        tokens = t.permute(0, 2, 3, 4, 1).reshape(b, -1, c)
        enc = self.eva(tokens, keep)
        full = self.mask_token.expand(b, tokens.shape[1], c).clone()
        full = full.scatter(1, keep.unsqueeze(-1).expand(-1, -1, c), enc)
        dec = self.decoder(full)
        volume = dec.reshape(b, *self.grid, c).permute(0, 4, 1, 2, 3)
        return self.up_projection(volume)


def main():
    preset, size, batch, steps, threads, warmup, profile = parse_args()
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    p = PRESETS[preset]
    net = EvaMAEStep(p['embed_dim'], p['depth'], p['heads'], size)
    opt = torch.optim.AdamW(net.parameters(), lr=3e-4, betas=(0.9, 0.98), weight_decay=5e-2)
    g = size // 8
    tokens = g ** 3
    kept = max(1, int(tokens * 0.25))
    x = torch.randn(batch, 1, size, size, size)

    def step():
        keep = torch.stack([torch.randperm(tokens)[:kept] for _ in range(batch)])
        dropped = torch.ones(batch, tokens)
        dropped.scatter_(1, keep, 0)
        hidden = dropped.reshape(batch, 1, g, g, g).repeat_interleave(8, 2).repeat_interleave(8, 3).repeat_interleave(8, 4)
        return timed_masked_step(lambda: (net(x, keep), hidden), x, net, opt, 1)

    measure(step, warmup, steps, profile, CATEGORIES, net)


if __name__ == '__main__':
    main()
