#!/usr/bin/python3
"""PyTorch reference of the volume-fusion row of bench/train-step.bench.ts (bench/train-step/volume-fusion.ts).

nnssl's VolumeFusionTrainer step (nnssl-spec §3.7), with the fusion inside the timed step as ours does it:
2·B images; for each of the B pairs 10–39 boxes (each side 8 … ⌊0.625·side⌋ voxels), each box a class
0–4 whose mixing coefficient is linspace(0, 1, 5)[class]; fused = α·foreground + (1 − α)·background; the
ResEnc U-Net (5 outputs) segments the class map; loss = cross-entropy + soft Dice over all 5 classes
(per sample, smooth 1e-5, −mean); backward, clip 12, SGD (1e-2, momentum 0.99, Nesterov, wd 3e-5).
Usage and output: as bench/train_step_ref.py (batch = fused samples).
"""
import torch

from train_step_method_common import MethodStep, nnssl_sgd, resenc_unet, run

CLASSES = 5


def fuse(images, pairs):
    fg, bg = images[:pairs], images[pairs:]
    size = images.shape[2:]
    alpha_of = torch.linspace(0, 1, CLASSES)
    classes = torch.zeros((pairs, *size), dtype=torch.long)
    for p in range(pairs):
        for _ in range(int(torch.randint(10, 40, ()))):
            box = []
            for d in size:
                hi = int(0.625 * d)
                s = int(torch.randint(min(8, hi), hi + 1, ()))
                o = int(torch.randint(0, d - s + 1, ()))
                box.append(slice(o, o + s))
            classes[(p, *box)] = int(torch.randint(0, CLASSES, ()))
    alpha = alpha_of[classes][:, None]
    return alpha * fg + (1 - alpha) * bg, classes


def dice_ce(logits, target):
    ce = torch.nn.functional.cross_entropy(logits, target)
    p = torch.softmax(logits, 1)
    onehot = torch.nn.functional.one_hot(target, CLASSES).permute(0, 4, 1, 2, 3).float()
    axes = (2, 3, 4)
    dc = (2 * (p * onehot).sum(axes) + 1e-5) / torch.clamp(onehot.sum(axes) + p.sum(axes) + 1e-5, min=1e-8)
    return ce - dc.mean()


def build(preset, size, batch):
    net = resenc_unet(preset, 1, CLASSES)
    images = torch.randn(2 * batch, 1, size, size, size)

    def loss():
        fused, classes = fuse(images, batch)
        return dice_ce(net(fused)[0], classes)
    return MethodStep(net, nnssl_sgd(net.parameters()), 12, loss)


if __name__ == '__main__':
    run(build)
