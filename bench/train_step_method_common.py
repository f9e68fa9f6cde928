"""Shared parts of the per-method PyTorch reference steps of bench/train-step.bench.ts (the rows of
bench/train-step/*.ts): the argument list, the timed step, nnssl's optimizers and the ResEnc encoder.

A method's reference script defines `build(preset, size, batch)` returning a `MethodStep` and calls
`run(build, categories)`; the harness (warm-up, timing, peak memory, profile) is train_step_ref.py's.
Each timed step is: the method's own per-step work (masks, fusion, crops in the network's batch), forward,
loss, backward, gradient-norm clip, optimizer step, loss read, as ours (core's trainingStep).
"""
import os
import sys
import time
from dataclasses import dataclass
from typing import Callable

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'packages', 'arch-resenc', 'tools'))
sys.path.insert(0, HERE)
from gen_resenc_fixtures import PRESETS as RESENC_PRESETS, Encoder, ResEncUNet  # noqa: E402,F401
from train_step_ref import CATEGORIES as RESENC_CATEGORIES, measure, parse_args  # noqa: E402,F401


@dataclass
class MethodStep:
    net: torch.nn.Module
    opt: torch.optim.Optimizer
    clip: float | None
    # Draws whatever the step draws (masks, boxes) and returns the loss tensor.
    loss: Callable[[], torch.Tensor]


def nnssl_sgd(params):
    """nnssl's ResEnc recipe: SGD lr 1e-2, momentum 0.99, Nesterov, weight decay 3e-5."""
    return torch.optim.SGD(params, lr=1e-2, momentum=0.99, nesterov=True, weight_decay=3e-5)


def eva_adamw(params):
    """nnssl's Eva (Primus) recipe: AdamW 3e-4, betas 0.9/0.98, weight decay 5e-2."""
    return torch.optim.AdamW(params, lr=3e-4, betas=(0.9, 0.98), weight_decay=5e-2)


def resenc_encoder(preset, cin=1):
    """The ResEnc encoder alone (nnssl's encoder_only networks): stem and stages, a list of stage outputs."""
    p = RESENC_PRESETS[preset]
    return Encoder(cin, p['features'], p['blocks'], p['strides'])


def resenc_unet(preset, cin, cout, deep_supervision=False):
    p = RESENC_PRESETS[preset]
    return ResEncUNet(cin, cout, features=p['features'], blocks=p['blocks'], strides=p['strides'], deep_supervision=deep_supervision)


def timed(s: MethodStep):
    """One step as ours times it; returns (wall ms, CPU ms)."""
    t0 = time.perf_counter()
    c0 = time.process_time()
    loss = s.loss()
    s.opt.zero_grad()
    loss.backward()
    if s.clip is not None:
        torch.nn.utils.clip_grad_norm_(s.net.parameters(), s.clip)
    s.opt.step()
    float(loss)
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000


def run(build, categories=RESENC_CATEGORIES):
    """Argument list and output of train_step_ref.py: <preset> <size> <batch> <steps> <threads> [<warmup>] [--profile]."""
    preset, size, batch, steps, threads, warmup, profile = parse_args()
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    s = build(preset, size, batch)
    measure(lambda: timed(s), warmup, steps, profile, categories, s.net)
