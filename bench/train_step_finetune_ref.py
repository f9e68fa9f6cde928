#!/usr/bin/python3
"""PyTorch reference of the finetune row of bench/train-step.bench.ts (bench/train-step/finetune.ts).

One step of nnU-Net's trainer (finetune-spec §1): ResEnc U-Net with deep supervision, 2 classes;
DC_and_CE_loss (MemoryEfficientSoftDiceLoss without background, per sample, smooth 1e-5, −mean; CE weight 1)
at every decoder resolution, weights 1/2^i with the lowest resolution 0, normalised; labels downsampled by
nearest neighbour (in the step, as ours); backward, gradient-norm clip 12, SGD (1e-2, momentum 0.99,
Nesterov, wd 3e-5).
Usage and output: as bench/train_step_ref.py.
"""
import torch

from train_step_method_common import MethodStep, nnssl_sgd, resenc_unet, run

CLASSES = 2


def dice_ce(logits, target):
    ce = torch.nn.functional.cross_entropy(logits, target[:, 0])
    p = torch.softmax(logits, 1)[:, 1:]
    onehot = torch.nn.functional.one_hot(target[:, 0], CLASSES).permute(0, 4, 1, 2, 3)[:, 1:].float()
    axes = (2, 3, 4)
    dc = (2 * (p * onehot).sum(axes) + 1e-5) / torch.clamp(onehot.sum(axes) + p.sum(axes) + 1e-5, min=1e-8)
    return ce - dc.mean()


def build(preset, size, batch):
    net = resenc_unet(preset, 1, CLASSES, deep_supervision=True)
    image = torch.randn(batch, 1, size, size, size)
    label = (image > 0.5).long()

    def loss():
        outputs = net(image)
        raw = [0.0 if i == len(outputs) - 1 else 1 / 2 ** i for i in range(len(outputs))]
        weights = [w / sum(raw) for w in raw]
        total = 0
        for o, w in zip(outputs, weights):
            if w == 0:
                continue
            t = label if o.shape[2:] == label.shape[2:] else torch.nn.functional.interpolate(label.float(), size=o.shape[2:], mode='nearest').long()
            total = total + w * dice_ce(o, t)
        return total
    return MethodStep(net, nnssl_sgd(net.parameters()), 12, loss)


if __name__ == '__main__':
    run(build)
