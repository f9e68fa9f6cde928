#!/usr/bin/python3
"""PyTorch reference of the swinunetr row of bench/train-step.bench.ts (bench/train-step/swinunetr.ts).

nnssl's SwinUNETR pre-training step on ResEnc (nnssl-spec §3.9), its transform inside the timed step as in
nnssl's train step: two views of the batch, each sample turned by k·90° (k ~ U{0…3}) in its (Y, Z) plane,
then cut out with MONAI patch_rand_drop boxes (noise min-max scaled to [0, 1]; then boxes copied from a
random other sample); both views through the ResEnc encoder in one batch; on its last feature map a
rotation head Linear(C, 4) on token 0, a contrastive head Linear(C, 512) on token 1 and a reconstruction
head (per upsampling: conv 3³, instance norm, LeakyReLU 0.01, trilinear ×2; then conv 3³ to 1 channel);
loss = L1(reconstruction, rotated uncut) + contrast (τ 0.5, the row's partner in the other view) + rotation
CE, weights 1/1/1; backward, gradient-norm clip 12, SGD (1e-2, momentum 0.99, Nesterov, wd 3e-5).
Usage and output: as bench/train_step_ref.py.
"""
import torch
from torch import nn

from train_step_method_common import MethodStep, nnssl_sgd, resenc_encoder, RESENC_PRESETS, run


class UpBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, 3, padding=1)

    def forward(self, x):
        y = nn.functional.leaky_relu(nn.functional.instance_norm(self.conv(x), eps=1e-5), 0.01)
        return nn.functional.interpolate(y, scale_factor=2, mode='trilinear', align_corners=False)


class SwinNet(nn.Module):
    def __init__(self, preset):
        super().__init__()
        self.encoder = resenc_encoder(preset)
        widths = RESENC_PRESETS[preset]['features'][::-1]
        c = widths[0]
        self.rotation_head = nn.Linear(c, 4)
        self.contrastive_head = nn.Linear(c, 512)
        self.up = nn.Sequential(*[UpBlock(widths[i], widths[i + 1]) for i in range(len(widths) - 1)])
        self.out = nn.Conv3d(widths[-1], 1, 3, padding=1)

    def forward(self, x):
        f = self.encoder(x)[-1]
        tokens = f.flatten(2)
        return self.rotation_head(tokens[:, :, 0]), self.contrastive_head(tokens[:, :, 1]), self.out(self.up(f))


def patch_rand_drop(x, max_drop, source=None):
    """MONAI's patch_rand_drop on one sample [C, X, Y, Z], in place."""
    dims = x.shape[1:]
    target = float(torch.rand(())) * max_drop * dims.numel()
    tol = [int(0.05 * d) for d in dims]
    block = [int(0.25 * d) for d in dims]
    covered = 0
    while covered < target:
        lo = [int(torch.randint(0, d - t + 1, ())) for d, t in zip(dims, tol)]
        hi = [min(int(torch.randint(t, max(t, b) + 1, ())) + l, d) for d, t, b, l in zip(dims, tol, block, lo)]
        box = (slice(None), *[slice(l, h) for l, h in zip(lo, hi)])
        if source is None:
            noise = torch.randn(x[box].shape)
            x[box] = (noise - noise.min()) / (noise.max() - noise.min()).clamp(min=1e-12)
        else:
            x[box] = source[box]
        covered += int(torch.tensor([h - l for l, h in zip(lo, hi)]).prod())


def rotate_and_cut(images, max_drop=0.3):
    n = images.shape[0]
    k = torch.randint(0, 4, (n,))
    rotated = torch.stack([torch.rot90(images[i], int(k[i]), (2, 3)) for i in range(n)])
    cut = rotated.clone()
    for i in range(n):
        patch_rand_drop(cut[i], max_drop)
        j = int(torch.randint(0, n, ()))
        if j != i:
            patch_rand_drop(cut[i], max_drop, cut[j].clone())
    return rotated, cut, k


def contrast(z, tau):
    rows = z.shape[0]
    z = nn.functional.normalize(z, dim=1)
    logits = (z @ z.t() / tau).masked_fill(torch.eye(rows, dtype=torch.bool), float('-inf'))
    return nn.functional.cross_entropy(logits, (torch.arange(rows) + rows // 2) % rows)


def build(preset, size, batch):
    net = SwinNet(preset)
    images = torch.randn(batch, 1, size, size, size)

    def loss():
        r1, c1, k1 = rotate_and_cut(images)
        r2, c2, k2 = rotate_and_cut(images)
        rotation, embedding, recon = net(torch.cat([c1, c2]))
        return (nn.functional.l1_loss(recon, torch.cat([r1, r2])) + contrast(embedding, 0.5)
                + nn.functional.cross_entropy(rotation, torch.cat([k1, k2])))
    return MethodStep(net, nnssl_sgd(net.parameters()), 12, loss)


if __name__ == '__main__':
    run(build)
