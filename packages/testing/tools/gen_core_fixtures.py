#!/usr/bin/python3
"""Writes PyTorch fixtures for core's nn modules, optimizers (one and several parameter groups) and LR schedules
(packages/testing/fixtures/core/*.json).

Run with Debian's python3 (torch 1.13):  /usr/bin/python3 packages/testing/tools/gen_core_fixtures.py

Rerunning rewrites every file; modules.json may then differ in the last digit of some values on another
machine (BLAS summation order), so commit only the files of the fixtures you changed.

Parameters and inputs are drawn in float32 and computed in float64, so the TypeScript side uploads
exactly the same numbers and the float64 reference backend can match to ~1e-7.
"""
import json
import math
import os

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'core')
torch.manual_seed(1234)


def f32(*shape):
    return torch.randn(*shape, dtype=torch.float32).double()


def dump(t):
    return {'shape': list(t.shape), 'data': [float(v) for v in t.detach().reshape(-1).tolist()]}


def module_case(name, module, x):
    module = module.double()
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(f32(*p.shape))
    y = module(x)
    return {
        'name': name,
        'state': {k: dump(v) for k, v in module.state_dict().items()},
        'input': dump(x),
        'output': dump(y),
    }


def modules():
    cases = [
        module_case('Conv3d', nn.Conv3d(2, 3, 3, stride=2, padding=1), f32(2, 2, 5, 4, 5)),
        module_case('Conv3d/no-bias-groups', nn.Conv3d(4, 2, (1, 3, 3), padding=(0, 1, 1), groups=2, bias=False), f32(1, 4, 3, 4, 4)),
        module_case('ConvTranspose3d', nn.ConvTranspose3d(3, 2, 2, stride=2), f32(1, 3, 2, 3, 2)),
        module_case('InstanceNorm3d', nn.InstanceNorm3d(3, affine=True, eps=1e-5), f32(2, 3, 3, 4, 2)),
        module_case('LayerNorm', nn.LayerNorm(6), f32(2, 4, 6)),
        module_case('GroupNorm', nn.GroupNorm(2, 4), f32(2, 4, 3, 2, 2)),
        module_case('Linear', nn.Linear(5, 3), f32(2, 4, 5)),
        module_case('LeakyReLU', nn.LeakyReLU(), f32(3, 7)),
        module_case('GELU', nn.GELU(), f32(3, 7)),
        module_case('SiLU', nn.SiLU(), f32(3, 7)),
        module_case('AvgPool3d', nn.AvgPool3d(2), f32(1, 2, 4, 4, 6)),
        module_case('MaxPool3d', nn.MaxPool3d(2), f32(1, 2, 4, 4, 6)),
        module_case('Sequential', nn.Sequential(nn.Conv3d(1, 2, 3, padding=1), nn.InstanceNorm3d(2, affine=True), nn.LeakyReLU()), f32(1, 1, 4, 4, 4)),
    ]
    return cases


def problem():
    """Two parameters and a coupled quadratic loss whose gradient depends on the parameters."""
    g = torch.Generator().manual_seed(99)
    p1 = torch.randn(4, generator=g, dtype=torch.float32).double()
    p2 = torch.randn(2, 3, generator=g, dtype=torch.float32).double()
    a1 = torch.rand(4, generator=g, dtype=torch.float32).double() + 0.5
    a2 = torch.rand(2, 3, generator=g, dtype=torch.float32).double() + 0.5
    b1 = torch.randn(4, generator=g, dtype=torch.float32).double()
    b2 = torch.randn(2, 3, generator=g, dtype=torch.float32).double()
    return p1, p2, {'a1': a1, 'a2': a2, 'b1': b1, 'b2': b2}


def loss_fn(p1, p2, c):
    return (0.5 * c['a1'] * p1 * p1 + c['b1'] * p1).sum() + (0.5 * c['a2'] * p2 * p2 + c['b2'] * p2).sum() + 0.1 * p1.sum() * p2.sum()


def trajectory(name, make_opt, clip=None, steps=20):
    p1, p2, c = problem()
    init = {'p1': dump(p1), 'p2': dump(p2)}
    p1.requires_grad_(True)
    p2.requires_grad_(True)
    opt = make_opt([p1, p2])
    out = []
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(p1, p2, c)
        loss.backward()
        if clip is not None:
            torch.nn.utils.clip_grad_norm_([p1, p2], clip)
        opt.step()
        out.append({'p1': [float(v) for v in p1.detach().tolist()], 'p2': [float(v) for v in p2.detach().reshape(-1).tolist()]})
    return {'name': name, 'init': init, 'constants': {k: dump(v) for k, v in c.items()}, 'clip': clip, 'steps': out}


def f32v(v):
    """The float32 value a float32 framework stores for the constant v (as a Python double)."""
    return float(torch.tensor(v, dtype=torch.float32).item())


def optimizers():
    # SGD hyper-parameters are given as the float32 values a float32 framework multiplies by (momentum,
    # weight decay, learning rate, 1 - dampening); otherwise the fixture would measure constant rounding
    # (~1e-8 per use, compounded by momentum 0.99) rather than the optimizer's semantics.
    return [
        trajectory('sgd-nnssl', lambda ps: torch.optim.SGD(ps, lr=f32v(1e-2), momentum=f32v(0.99), nesterov=True, weight_decay=f32v(3e-5))),
        trajectory('sgd-dampening', lambda ps: torch.optim.SGD(ps, lr=f32v(5e-2), momentum=f32v(0.9), dampening=1 - f32v(0.9), weight_decay=f32v(1e-3))),
        trajectory('sgd-plain-clip', lambda ps: torch.optim.SGD(ps, lr=1e-1), clip=0.5),
        trajectory('adamw-primus', lambda ps: torch.optim.AdamW(ps, lr=3e-4, betas=(0.9, 0.98), weight_decay=5e-2)),
        trajectory('adamw-default', lambda ps: torch.optim.AdamW(ps, lr=1e-2)),
    ]


def problem3():
    """problem() plus a third parameter p3 coupled to p2, for parameter groups of unequal size."""
    p1, p2, c = problem()
    g = torch.Generator().manual_seed(7)
    p3 = torch.randn(3, generator=g, dtype=torch.float32).double()
    c['a3'] = torch.rand(3, generator=g, dtype=torch.float32).double() + 0.5
    c['b3'] = torch.randn(3, generator=g, dtype=torch.float32).double()
    return p1, p2, p3, c


def loss3(p1, p2, p3, c):
    return loss_fn(p1, p2, c) + (0.5 * c['a3'] * p3 * p3 + c['b3'] * p3).sum() + 0.1 * p2.sum() * p3.sum()


# Per-group rates, as functions of the step (or epoch) t. Rates are set to their float32 values, which is
# what the TypeScript side uploads.
ENC_LR = lambda base: (lambda t: f32v(base * (1 - t / 20) ** 0.9))
DEC_LR = lambda base: (lambda t: f32v(base * (t + 1) / 12))


def group_trajectory(name, make_opt, lrs, steps=12, clip=None, frozen_until=None, make_second=None):
    """Steps with per-group rates lrs[group](t). With frozen_until=k, p1 has requires_grad False and the
    optimizer make_opt holds only group 'dec' for t < k; at t = k a fresh optimizer make_second(p1, p2, p3)
    takes over (Sawtooth-like phases)."""
    p1, p2, p3, c = problem3()
    init = {'p1': dump(p1), 'p2': dump(p2), 'p3': dump(p3)}
    for p in (p1, p2, p3):
        p.requires_grad_(True)
    if frozen_until is not None:
        p1.requires_grad_(False)
    opt = make_opt(p1, p2, p3)
    out = []
    for t in range(steps):
        if frozen_until is not None and t == frozen_until:
            p1.requires_grad_(True)
            opt = make_second(p1, p2, p3)
        for g in opt.param_groups:
            g['lr'] = lrs[g['name']](t)
        opt.zero_grad()
        loss3(p1, p2, p3, c).backward()
        if clip is not None:
            torch.nn.utils.clip_grad_norm_([p for p in (p1, p2, p3) if p.grad is not None], clip)
        opt.step()
        out.append({k: [float(v) for v in p.detach().reshape(-1).tolist()] for k, p in (('p1', p1), ('p2', p2), ('p3', p3))})
    return {'name': name, 'init': init, 'constants': {k: dump(v) for k, v in c.items()}, 'clip': clip, 'steps': out}


def optimizer_groups():
    sgd = lambda p1, p2, p3: torch.optim.SGD([
        {'params': [p1], 'name': 'enc', 'weight_decay': f32v(1e-3)},
        {'params': [p2, p3], 'name': 'dec', 'weight_decay': 0.0},
    ], lr=1.0, momentum=f32v(0.9), nesterov=True)
    adamw = lambda p1, p2, p3: torch.optim.AdamW([
        {'params': [p1], 'name': 'enc', 'weight_decay': 5e-2},
        {'params': [p2, p3], 'name': 'dec', 'weight_decay': 0.0},
    ], lr=1.0, betas=(0.9, 0.98))
    decoder_sgd = lambda p1, p2, p3: torch.optim.SGD([{'params': [p2, p3], 'name': 'dec'}], lr=1.0, momentum=f32v(0.9), nesterov=True)
    return [
        group_trajectory('sgd-groups', sgd, {'enc': ENC_LR(1e-2), 'dec': DEC_LR(5e-2)}),
        group_trajectory('adamw-groups', adamw, {'enc': ENC_LR(1e-3), 'dec': DEC_LR(1e-2)}),
        # Phase 'decoder' (t < 4): p1 frozen, SGD over p2 and p3; phase 'whole' (t >= 4): a fresh AdamW over
        # both groups. Gradient clip 2 over the parameters that have a gradient.
        group_trajectory('phased', decoder_sgd, {'enc': ENC_LR(1e-3), 'dec': DEC_LR(1e-2)}, clip=2.0, frozen_until=4, make_second=adamw),
    ]


class Poly(torch.optim.lr_scheduler._LRScheduler):
    """nnssl PolyLRScheduler, as its source computes it."""

    def __init__(self, opt, initial_lr, max_steps, exponent=0.9):
        self.initial_lr, self.max_steps, self.exponent = initial_lr, max_steps, exponent
        super().__init__(opt, -1, False)

    def step(self, current_step=None):
        if current_step is None:
            current_step = 0
        new_lr = self.initial_lr * (1 - current_step / self.max_steps) ** self.exponent
        for g in self.optimizer.param_groups:
            g['lr'] = new_lr


def schedule_values(make, n):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    sch = make(opt)
    out = []
    for e in range(n):
        sch.step(e)
        out.append(opt.param_groups[0]['lr'])
    return out


def schedules():
    lin_incr = lambda max_lr, T: (lambda e: max_lr / T * (1 + e))
    poly_off = lambda lr0, T, s: (lambda e: lr0 * (1 - max(0, e - s) / (T - s)) ** 0.9)
    return [
        {'name': 'poly', 'args': [1e-2, 1000], 'values': schedule_values(lambda o: Poly(o, 1e-2, 1000), 1000)},
        {'name': 'warmupPoly', 'args': [3e-4, 50, 1000], 'values': [lin_incr(3e-4, 50)(e) if e < 50 else poly_off(3e-4, 1000, 50)(e) for e in range(1000)]},
        {'name': 'continuedPolyWithWarmup', 'args': {'startStep': 0, 'initialLr': 7e-3, 'warmupLr': 1e-5, 'warmupSteps': 50, 'totalSteps': 1000, 'finalLr': 1e-5},
         'values': [1e-5 + 7e-3 * max(0, e) / 50 if e < 50 else 1e-5 + (7e-3 - 1e-5) * (1 - (e - 50) / (1000 - 50)) ** 0.9 for e in range(1000)]},
    ]


os.makedirs(OUT, exist_ok=True)
for name, fn in [('modules', modules), ('optimizers', optimizers), ('schedules', schedules), ('optimizer-groups', optimizer_groups)]:
    with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
        json.dump(fn(), f)
    print('wrote', name)
