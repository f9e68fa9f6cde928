#!/usr/bin/python3
"""PyTorch reference of the simclr row of bench/train-step.bench.ts (bench/train-step/simclr.ts).

nnssl's SimCLRTrainer step (nnssl-spec §3.5, §4.6): per image 2 reference and 2 overlapping crops (made by
the loader); all 2N crops through the ResEnc encoder in one pass; every stage's output average-pooled and
concatenated into the projector (3 × [Linear 2048, InstanceNorm1d on the 2-D batch = per-row
normalisation over features, ReLU], the last without norm and ReLU); NT-Xent over the 2N rows with cosine
similarity, τ 0.5; backward, gradient-norm clip 0.1, SGD (1e-2, momentum 0.99, Nesterov, wd 3e-5).
Usage and output: as bench/train_step_ref.py (batch = images; crops = 4 per image).
"""
import torch
from torch import nn

from train_step_method_common import MethodStep, nnssl_sgd, resenc_encoder, RESENC_PRESETS, run

PAIRS = 2
DIM = 2048


class RowNorm(nn.Module):
    """nnssl's InstanceNorm1d(affine=False) on an [N, F] tensor: each row normalised over its features."""

    def forward(self, x):
        return nn.functional.instance_norm(x[None], eps=1e-5)[0]


class SimclrNet(nn.Module):
    def __init__(self, preset):
        super().__init__()
        self.encoder = resenc_encoder(preset)
        f = sum(RESENC_PRESETS[preset]['features'])
        self.projector = nn.Sequential(nn.Linear(f, DIM), RowNorm(), nn.ReLU(), nn.Linear(DIM, DIM), RowNorm(), nn.ReLU(), nn.Linear(DIM, DIM))

    def forward(self, x):
        return self.projector(torch.cat([m.mean((2, 3, 4)) for m in self.encoder(x)], 1))


def nt_xent(z, tau):
    rows = z.shape[0]
    n = rows // 2
    z = nn.functional.normalize(z, dim=1)
    logits = z @ z.t() / tau
    logits = logits.masked_fill(torch.eye(rows, dtype=torch.bool), float('-inf'))
    positive = (torch.arange(rows) + n) % rows
    return nn.functional.cross_entropy(logits, positive)


def build(preset, size, batch):
    net = SimclrNet(preset)
    reference = torch.randn(batch * PAIRS, 1, size, size, size)
    overlap = torch.randn(batch * PAIRS, 1, size, size, size)

    def loss():
        return nt_xent(net(torch.cat([reference, overlap], 0)), 0.5)
    return MethodStep(net, nnssl_sgd(net.parameters()), 0.1, loss)


if __name__ == '__main__':
    run(build)
