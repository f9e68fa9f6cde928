#!/usr/bin/python3
"""PyTorch reference of the voco row of bench/train-step.bench.ts (bench/train-step/voco.ts).

nnssl's VoCoTrainer step (nnssl-spec §3.6, §4.7) on ResEnc: per image 16 base crops (4×4×1 grid) and 4
target crops (made by the loader, with the overlap fraction of each target in each base); all crops
through the encoder in one pass, every stage average-pooled into the projector (as the simclr row);
prediction loss on relu(cos(target, base.detach())) against the overlaps: −Σ gt·log(1 + 1e-6 − |sim − gt|)
/ Σ gt + Σ sim²·[gt = 0] / Σ([gt = 0] + 1e-6); regularisation loss: relu(cos) between base crops of an
image, mean over the upper triangle, averaged over images; SGD (1e-2, momentum 0.99, Nesterov, wd 3e-5),
no gradient clipping (as nnssl).
Usage and output: as bench/train_step_ref.py (batch = images).
"""
import torch
from torch import nn

from train_step_method_common import MethodStep, nnssl_sgd, run
from train_step_simclr_ref import SimclrNet

BASES = 16
TARGETS = 4


def cosine(a, b):
    unit = lambda x: x / x.norm(dim=2, keepdim=True).clamp(min=1e-8)  # noqa: E731
    return unit(a) @ unit(b).transpose(1, 2)


def voco_loss(base, target, gt):
    sim = torch.relu(cosine(target, base.detach()))
    pos = -(torch.log(1 + 1e-6 - (sim - gt).abs()) * gt).sum() / gt.sum()
    empty = (gt == 0).float()
    neg = (sim ** 2 * empty).sum() / (empty + 1e-6).sum()
    b, n = base.shape[:2]
    s = torch.relu(cosine(base, base))
    reg = torch.triu(s, diagonal=1).sum() * 2 / (n * (n - 1)) / b
    return pos + neg + reg


def overlaps(images):
    gt = torch.zeros(images, TARGETS, BASES)
    for i in range(images):
        for t in range(TARGETS):
            hit = torch.randperm(BASES)[: 1 + int(torch.randint(0, 4, ()))]
            w = torch.rand(len(hit)) * 0.9 + 0.1
            gt[i, t, hit] = w / w.sum()
    return gt


def build(preset, size, batch):
    net = SimclrNet(preset)
    base = torch.randn(batch * BASES, 1, size, size, size)
    target = torch.randn(batch * TARGETS, 1, size, size, size)
    gt = overlaps(batch)

    def loss():
        e = net(torch.cat([base, target]))
        d = e.shape[1]
        return voco_loss(e[: batch * BASES].reshape(batch, BASES, d), e[batch * BASES:].reshape(batch, TARGETS, d), gt)
    return MethodStep(net, nnssl_sgd(net.parameters()), None, loss)


if __name__ == '__main__':
    run(build)
