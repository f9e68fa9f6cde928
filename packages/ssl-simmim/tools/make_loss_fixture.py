"""Golden values of SimMIM's loss (nnssl SimMIMEvaTrainer: MAEMSELoss over the voxels of masked tokens, and
the _ANON form that also leaves defaced voxels out), computed with PyTorch from fill recipes.

Run with Debian's Python (python3-torch): /usr/bin/python3 packages/ssl-simmim/tools/make_loss_fixture.py
Writes test/fixtures/simmim-loss.json.
"""
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'testing', 'tools'))
from det_values import det_values  # noqa: E402  (path set just above)

N, GRID, TOKEN = 2, (2, 3, 2), 4
SHAPE = [N, 1] + [g * TOKEN for g in GRID]
T = GRID[0] * GRID[1] * GRID[2]


def filled(shape, seed, offset=0.0, scale=1.0):
    n = 1
    for s in shape:
        n *= s
    v = offset + scale * det_values(n, seed)
    return torch.tensor(v, dtype=torch.float32).reshape(shape)


def recipe(shape, seed, offset=0.0, scale=1.0):
    return {'shape': shape, 'seed': seed, 'offset': offset, 'scale': scale}


prediction = filled(SHAPE, 11, 0.1, 2.0)
target = filled(SHAPE, 12, -0.2, 1.5)
# Token mask (1 = visible): nnssl's (B, 1, g, g, g) mask, flattened in (d h w) order as EvaSimMIM flattens tokens.
visible_tokens = (torch.tensor(det_values(N * T, 13)) > 0.3).to(torch.float32).reshape(N, 1, *GRID)
dense = visible_tokens
for axis in (2, 3, 4):
    dense = dense.repeat_interleave(TOKEN, dim=axis)
anon = (filled(SHAPE, 14) > 0.5).to(torch.float32)


def mae_mse(output, data, mask):
    """nnssl MAEMSELoss: mean squared error over the voxels where mask == 0."""
    hidden = 1 - mask
    return (((output - data) ** 2) * hidden).sum() / hidden.sum()


def loss_mask_mse(output, data, loss_mask):
    """nnssl LossMaskMSELoss: Σ err · m / Σ m."""
    return (((output - data) ** 2) * loss_mask).sum() / loss_mask.sum()


out = {
    'grid': list(GRID), 'token': TOKEN, 'shape': SHAPE,
    'prediction': recipe(SHAPE, 11, 0.1, 2.0), 'target': recipe(SHAPE, 12, -0.2, 1.5),
    'visibleTokens': visible_tokens.reshape(-1).to(torch.int32).tolist(),
    'anonymization': recipe(SHAPE, 14),
    'denseVisibleSum': float(dense.sum()),
    'loss': float(mae_mse(prediction, target, dense)),
    'lossAnon': float(loss_mask_mse(prediction, target, (1 - dense) * (1 - anon))),
}
with open(os.path.join(HERE, '..', 'test', 'fixtures', 'simmim-loss.json'), 'w') as f:
    json.dump(out, f)
    f.write('\n')
