"""Golden values of VolumeFusion's loss as nnssl computes it: DC_and_CE_loss with batch_dice False,
smooth 1e-5, do_bg True, weights 1/1 and nnU-Net's MemoryEfficientSoftDiceLoss, written out from its
formula in PyTorch: CE = nn.CrossEntropyLoss (mean) on the logits vs. the class map; Dice =
−mean over (b, c) of (2·Σ p·y + smooth) / max(Σ y + Σ p + smooth, 1e-8), p = softmax over the classes.
Two cases: every class present, and a sample that lacks a class (its Dice term is smooth/(Σp + smooth)).

Run with Debian's Python (python3-torch): /usr/bin/python3 packages/ssl-volume-fusion/tools/make_loss_fixture.py
Writes test/fixtures/volume-fusion-loss.json.
"""
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'testing', 'tools'))
from det_values import det_values  # noqa: E402  (path set just above)

SHAPE = [2, 5, 6, 7, 5]
SMOOTH = 1e-5


def soft_dice(logits, target):
    p = torch.softmax(logits, 1)
    onehot = torch.zeros_like(p).scatter_(1, target[:, None].long(), 1)
    axes = tuple(range(2, logits.ndim))
    intersect = (p * onehot).sum(axes)
    sum_pred = p.sum(axes)
    sum_gt = onehot.sum(axes)
    dc = (2 * intersect + SMOOTH) / torch.clip(sum_gt + sum_pred + SMOOTH, 1e-8)
    return -dc.mean()


def case(seed, classes_of_sample):
    logits = torch.tensor(2.5 * det_values(int(np.prod(SHAPE)), seed), dtype=torch.float32).reshape(SHAPE)
    u = (det_values(SHAPE[0] * int(np.prod(SHAPE[2:])), seed + 1) + 1) / 2
    target = np.zeros([SHAPE[0]] + SHAPE[2:], dtype=np.int64)
    for b, k in enumerate(classes_of_sample):
        n = int(np.prod(SHAPE[2:]))
        target[b] = np.minimum((u[b * n:(b + 1) * n] * k).astype(np.int64), k - 1).reshape(SHAPE[2:])
    t = torch.tensor(target)
    ce = torch.nn.CrossEntropyLoss()(logits, t)
    dice = soft_dice(logits, t)
    return {
        'logits': {'shape': SHAPE, 'seed': seed, 'offset': 0.0, 'scale': 2.5},
        'target': target.reshape(-1).tolist(), 'ce': float(ce), 'dice': float(dice), 'loss': float(ce + dice),
    }


out = {'shape': SHAPE, 'smooth': SMOOTH, 'cases': [case(31, [5, 5]), case(41, [5, 3])]}
with open(os.path.join(HERE, '..', 'test', 'fixtures', 'volume-fusion-loss.json'), 'w') as f:
    json.dump(out, f)
    f.write('\n')
