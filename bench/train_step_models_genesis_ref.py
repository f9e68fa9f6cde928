#!/usr/bin/python3
"""PyTorch reference of the models-genesis row of bench/train-step.bench.ts (bench/train-step/models-genesis.ts).

nnssl's ModelGenesisTrainer step (nnssl-spec §3.8): the data loader has already corrupted the input and
flipped the target, so the step is the ResEnc U-Net's restoration of the corrupted batch, MSE over all
voxels, backward, gradient-norm clip 12, SGD (1e-2, momentum 0.99, Nesterov, wd 3e-5).
Usage and output: as bench/train_step_ref.py.
"""
import torch

from train_step_method_common import MethodStep, nnssl_sgd, resenc_unet, run


def build(preset, size, batch):
    net = resenc_unet(preset, 1, 1)
    corrupted = torch.randn(batch, 1, size, size, size)
    target = torch.randn(batch, 1, size, size, size)

    def loss():
        return torch.nn.functional.mse_loss(net(corrupted)[0], target)
    return MethodStep(net, nnssl_sgd(net.parameters()), 12, loss)


if __name__ == '__main__':
    run(build)
