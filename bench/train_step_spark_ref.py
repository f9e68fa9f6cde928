#!/usr/bin/python3
"""PyTorch reference of the spark row of bench/train-step.bench.ts (bench/train-step/spark.ts).

nnssl's SparkMAETrainer step (nnssl-spec §3.2) with the input masked (ours by default): a blocky mask per
sample (75 % of the cells hidden, drawn with randperm), the ResEnc encoder converted by
convert_to_spark_cnn (every Conv3d / AvgPool3d followed by the active mask, sparse instance norms that
gather the visible voxels, as nnssl), SparK3D's densify (sparse norm, mask tokens, 3x3x3 projections from
stage 1), the U-Net decoder, MSE over hidden voxels, backward, gradient-norm clip 12, SGD (1e-2, momentum
0.99, Nesterov, wd 3e-5). The sparse modules are those of the package's fixture script
(packages/ssl-spark/test/fixtures/make_spark_fixtures.py). As in nnssl, the conversion leaves a second, unused
copy of every conv/norm (DNA's `conv`/`all_modules.0` aliases), so "params" counts those too; they get no
gradient and SGD skips them. Usage and output: as bench/train_step_ref.py.
"""
import os
import sys

import torch
from torch import nn

from train_step_method_common import RESENC_PRESETS, MethodStep, nnssl_sgd, resenc_unet, run

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'packages', 'ssl-spark', 'test', 'fixtures'))
import make_spark_fixtures as spark  # noqa: E402  (path set just above)

BLOCK = 8  # as bench/train-step/spark.ts: 8³ cells, so the bottleneck is dense


class SparkModel(nn.Module):
    def __init__(self, preset):
        super().__init__()
        self.net = resenc_unet(preset, 1, 1)
        self.net.encoder = spark.convert_to_spark_cnn(self.net.encoder)
        self.net.decoder.encoder = self.net.encoder
        feats = RESENC_PRESETS[preset]['features']
        self.mask_tokens = nn.ParameterList([nn.Parameter(nn.init.trunc_normal_(torch.zeros(1, c, 1, 1, 1), std=0.02, a=-0.02, b=0.02)) for c in feats])
        self.densify_projs = nn.ModuleList([nn.Identity()] + [nn.Conv3d(c, c, 3, padding=1, bias=True) for c in feats[1:]])
        self.densify_norms = [nn.InstanceNorm1d(c, eps=1e-5, affine=False) for c in feats]

    def forward(self, x):
        dense = []
        for s, f in enumerate(self.net.encoder(x)):
            active = spark.active_at(*f.shape[2:])
            normed = spark.sparse_in(f, active, self.densify_norms[s])
            dense.append(self.densify_projs[s](torch.where(active.bool(), normed, self.mask_tokens[s].expand_as(normed))))
        return self.net.decoder(dense)[0]


def build(preset, size, batch):
    model = SparkModel(preset)
    x = torch.randn(batch, 1, size, size, size)
    grid = size // BLOCK
    cells = grid ** 3

    def loss():
        visible = torch.ones(batch, cells)
        for i in range(batch):
            visible[i, torch.randperm(cells)[:int(0.75 * cells)]] = 0
        spark.CUR_ACTIVE = visible.reshape(batch, 1, grid, grid, grid)
        mask = spark.upsampled(spark.CUR_ACTIVE, [size, size, size])
        pred = model(x * mask)
        return ((x - pred) ** 2)[mask == 0].mean()
    return MethodStep(model, nnssl_sgd(model.parameters()), 12, loss)


if __name__ == '__main__':
    run(build)
