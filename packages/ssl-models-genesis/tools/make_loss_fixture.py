"""Golden values of Models Genesis' loss and Bézier mapping, computed with PyTorch / numpy as nnssl does:
torch.nn.MSELoss() over all voxels, LossMaskMSELoss with mask 1 − anon (the _ANON variant), and the
non-linear transform's bezier_curve + np.interp for fixed control points, both branches (sorted y, and
inverted: only x sorted).

Run with Debian's Python (python3-torch): /usr/bin/python3 packages/ssl-models-genesis/tools/make_loss_fixture.py
Writes test/fixtures/models-genesis-loss.json.
"""
import json
import os
import sys

import numpy as np
import torch
from scipy.special import comb

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'testing', 'tools'))
from det_values import det_values  # noqa: E402  (path set just above)

SHAPE = [2, 1, 6, 8, 5]


def filled(shape, seed, offset=0.0, scale=1.0):
    v = offset + scale * det_values(int(np.prod(shape)), seed)
    return torch.tensor(v, dtype=torch.float32).reshape(shape)


def recipe(shape, seed, offset=0.0, scale=1.0):
    return {'shape': shape, 'seed': seed, 'offset': offset, 'scale': scale}


prediction = filled(SHAPE, 21, 0.3, 1.7)
target = filled(SHAPE, 22, -0.1, 2.2)
anon = (filled(SHAPE, 23) > 0.4).to(torch.float32)
mse = torch.nn.MSELoss()(prediction, target)
keep = 1 - anon
mse_anon = (((prediction - target) ** 2) * keep).sum() / keep.sum()


def bernstein_poly(i, n, t):
    return comb(n, i) * (t ** (n - i)) * (1 - t) ** i


def bezier_curve(points, n_times=100000):
    n_points = len(points)
    x_points = np.array([p[0] for p in points])
    y_points = np.array([p[1] for p in points])
    t = np.linspace(0.0, 1.0, n_times)
    polynomial_array = np.array([bernstein_poly(i, n_points - 1, t) for i in range(0, n_points)])
    return np.dot(x_points, polynomial_array), np.dot(y_points, polynomial_array)


controls = [0.8, 0.15, 0.3, 0.9]
points = [[0, 0], [controls[0], controls[1]], [controls[2], controls[3]], [1, 1]]
xvals, yvals = bezier_curve(points)
probe = np.linspace(-0.2, 1.2, 57)
monotone = np.interp(probe, np.sort(xvals), np.sort(yvals))
inverted = np.interp(probe, np.sort(xvals), yvals)

out = {
    'shape': SHAPE, 'prediction': recipe(SHAPE, 21, 0.3, 1.7), 'target': recipe(SHAPE, 22, -0.1, 2.2), 'anonymization': recipe(SHAPE, 23),
    'mse': float(mse), 'mseAnon': float(mse_anon),
    'bezier': {'controls': controls, 'probe': probe.tolist(), 'monotone': monotone.tolist(), 'inverted': inverted.tolist()},
}
with open(os.path.join(HERE, '..', 'test', 'fixtures', 'models-genesis-loss.json'), 'w') as f:
    json.dump(out, f)
    f.write('\n')
