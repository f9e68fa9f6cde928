#!/usr/bin/python3
"""Writes the PyTorch fixtures of @openmind-ssl/arch-primus.

Primus (DNA `Primus`, a trimmed timm `Eva`, DNA `PatchEmbed` / `PatchDecode`) and nnssl's `EvaMAE` are
rebuilt here in plain torch from the reference facts (shared/reference/nnssl-spec.md §4.3, §4.4), with
the module nesting of dynamic-network-architectures and timm (v1.0.16 semantics, read from their
sources), so state-dict keys are theirs. Neither timm nor einops is needed. Outputs, in ../fixtures/:

  primus-keys.json   every state-dict key with its shape and kind (param / buffer) of primus-s/b/m/l at
                     160³ (1 in, 1 out) and of primus-tiny at 16×24×32, plus parameter counts, asserted
                     against the reference table (and EvaMAE-M: 176,656,193)
  eva-block.json     one EVA block (width 24, 2 heads, 2×3×4 token grid, batch 2) in float64: outputs and
                     the gradients of Σ out·R with respect to the input and every parameter, for all
                     tokens and for a per-sample subset of kept tokens (RoPE gathered with them)
  primus-forward.json  a small Primus (width 24, 2 blocks, 4³ tokens, 2 in / 3 out, input 8×12×16) in
                     float64: its output and encoder feature map, checking token order, RoPE axes and
                     PatchDecode end to end

Weights and inputs are not stored: each tensor is filled by a 32-bit integer hash (`det_values`) that the
TypeScript tests reproduce exactly, from the (seed, offset, scale) recipe written next to each key.

Run:  /usr/bin/python3 tools/gen_primus_fixtures.py
"""
import json
import math
import os
import sys

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'testing', 'tools'))
from det_values import det_values  # noqa: E402  (path set just above)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures')

PRESETS = {
    'primus-s': dict(embed_dim=396, depth=12, heads=6),
    'primus-b': dict(embed_dim=792, depth=12, heads=12),
    'primus-m': dict(embed_dim=864, depth=16, heads=12),
    'primus-l': dict(embed_dim=1056, depth=24, heads=16),
    'primus-tiny': dict(embed_dim=96, depth=4, heads=4),
}
# nnssl-spec §4.3 (A): parameters at 160³, 1 -> 1, counting the mask_token buffer.
REFERENCE_COUNTS = {'primus-s': 26_268_681, 'primus-b': 97_958_857, 'primus-m': 151_787_393, 'primus-l': 331_824_817}


# --- the architecture, from the spec -----------------------------------------------------------------

def rope_table(feat_shape, rope_dim, temperature=10000.0):
    """timm RotaryEmbeddingCat(rope_dim, in_pixels=False, feat_shape=ref_feat_shape=feat_shape).pos_embed."""
    num_bands = rope_dim // 4
    exp = torch.arange(0, num_bands, 1, dtype=torch.int64).to(torch.float32) / num_bands
    bands = 1.0 / (temperature ** exp)
    t = [torch.arange(s, dtype=torch.int64).to(torch.float32) / f * r for s, f, r in zip(feat_shape, feat_shape, feat_shape)]
    grid = torch.stack(torch.meshgrid(t, indexing='ij'), dim=-1).unsqueeze(-1)
    pos = grid * bands
    n = int(np.prod(feat_shape))
    sin = pos.sin().reshape(n, -1).repeat_interleave(2, -1)
    cos = pos.cos().reshape(n, -1).repeat_interleave(2, -1)
    return torch.cat([sin, cos], -1)


def rot(x):
    return torch.stack([-x[..., 1::2], x[..., ::2]], -1).reshape(x.shape)


def apply_rot_embed_cat(x, emb):
    sin_emb, cos_emb = emb.chunk(2, -1)
    return x * cos_emb + rot(x) * sin_emb


class EvaAttention(nn.Module):
    def __init__(self, dim, num_heads, scale_attn_inner):
        super().__init__()
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        self.q_proj = nn.Linear(dim, dim, bias=True)
        self.k_proj = nn.Linear(dim, dim, bias=False)
        self.v_proj = nn.Linear(dim, dim, bias=True)
        self.norm = nn.LayerNorm(dim) if scale_attn_inner else nn.Identity()
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, rope):
        B, N, C = x.shape
        q = self.q_proj(x).reshape(B, N, self.num_heads, -1).transpose(1, 2)
        k = self.k_proj(x).reshape(B, N, self.num_heads, -1).transpose(1, 2)
        v = self.v_proj(x).reshape(B, N, self.num_heads, -1).transpose(1, 2)
        if rope is not None:  # num_prefix_tokens = 0: every token rotates
            q = apply_rot_embed_cat(q, rope)
            k = apply_rot_embed_cat(k, rope)
        attn = ((q * self.scale) @ k.transpose(-2, -1)).softmax(dim=-1)  # F.scaled_dot_product_attention
        x = (attn @ v).transpose(1, 2).reshape(B, N, C)
        return self.proj(self.norm(x))


class SwiGLU(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1_g = nn.Linear(dim, hidden)
        self.fc1_x = nn.Linear(dim, hidden)
        self.act = nn.SiLU()
        self.norm = nn.LayerNorm(hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.norm(self.act(self.fc1_g(x)) * self.fc1_x(x)))


class EvaBlock(nn.Module):
    def __init__(self, dim, num_heads, mlp_ratio=4 * 2 / 3, init_values=0.1, scale_attn_inner=True):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = EvaAttention(dim, num_heads, scale_attn_inner)
        self.gamma_1 = nn.Parameter(init_values * torch.ones(dim))
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = SwiGLU(dim, int(dim * mlp_ratio))
        self.gamma_2 = nn.Parameter(init_values * torch.ones(dim))

    def forward(self, x, rope):
        x = x + self.gamma_1 * self.attn(self.norm1(x), rope)
        return x + self.gamma_2 * self.mlp(self.norm2(x))


class Eva(nn.Module):
    def __init__(self, embed_dim, depth, num_heads, feat_shape):
        super().__init__()
        self.pos_embed = nn.Parameter(torch.zeros(1, int(np.prod(feat_shape)), embed_dim))
        rope_dim = round(embed_dim // num_heads / 1.5)
        assert rope_dim == embed_dim / num_heads / 1.5 and rope_dim % 4 == 0
        self.register_buffer('rope_pos_embed', rope_table(feat_shape, rope_dim), persistent=False)
        self.blocks = nn.ModuleList([EvaBlock(embed_dim, num_heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(embed_dim)

    def forward(self, x, keep=None):
        x = x + self.pos_embed
        rope = self.rope_pos_embed
        if keep is not None:  # timm PatchDropout + apply_keep_indices_nlc, the head axis added for broadcasting
            x = x.gather(1, keep.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
            rope = rope[keep].unsqueeze(1)
        for blk in self.blocks:
            x = blk(x, rope)
        return self.norm(x)


class LayerNormNd(nn.Module):
    def __init__(self, num_channels, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(num_channels))
        self.bias = nn.Parameter(torch.zeros(num_channels))
        self.eps = eps

    def forward(self, x):
        u = x.mean(1, keepdim=True)
        s = (x - u).pow(2).mean(1, keepdim=True)
        x = (x - u) / torch.sqrt(s + self.eps)
        idx = (None, slice(None), *([None] * (x.ndim - 2)))
        return self.weight[idx] * x + self.bias[idx]


class PatchEmbed(nn.Module):
    def __init__(self, patch, cin, dim):
        super().__init__()
        self.proj = nn.Conv3d(cin, dim, kernel_size=patch, stride=patch, padding=0)


class PatchDecode(nn.Module):
    def __init__(self, patch, dim, cout):
        super().__init__()

        def round8(v):
            return int(max(8, np.round((v + 1e-6) / 8) * 8))

        n = int(np.log(max(patch)) / np.log(2))
        strides = [[2 if (p / 2 ** k) % 2 == 0 else 1 for p in patch] for k in range(n)][::-1]
        dim_red = (dim / (2 * cout)) ** (1 / n)
        ch = [dim] + [round8(dim / dim_red ** (x + 1)) for x in range(n)]
        ch[-1] = cout
        stages = [nn.Sequential(nn.ConvTranspose3d(ch[s], ch[s + 1], strides[s], strides[s]), LayerNormNd(ch[s + 1]), nn.GELU())
                  for s in range(n - 1)]
        stages.append(nn.ConvTranspose3d(ch[-2], ch[-1], strides[-1], strides[-1]))
        self.decode = nn.Sequential(*stages)
        self.channels = ch

    def forward(self, x):
        return self.decode(x)


class Primus(nn.Module):
    def __init__(self, cin, cout, embed_dim, depth, heads, patch, input_shape):
        super().__init__()
        self.down_projection = PatchEmbed(patch, cin, embed_dim)
        self.up_projection = PatchDecode(patch, embed_dim, cout)
        self.grid = tuple(i // p for i, p in zip(input_shape, patch))
        self.eva = Eva(embed_dim, depth, heads, self.grid)
        self.register_buffer('mask_token', torch.zeros(1, 1, embed_dim))

    def forward(self, x):
        x = self.down_projection.proj(x)
        B, C = x.shape[:2]
        tokens = x.permute(0, 2, 3, 4, 1).reshape(B, -1, C)  # einops 'b c w h d -> b (w h d) c'
        y = self.eva(tokens)
        volume = y.reshape(B, *self.grid, C).permute(0, 4, 1, 2, 3)  # 'b (w h d) c -> b c w h d'
        return self.up_projection(volume), volume


class EvaMAE(nn.Module):
    """Only for keys and counts: encoder Eva, PatchDecode, 2-block Eva decoder, mask_token parameter."""

    def __init__(self, embed_dim, depth, heads, patch, input_shape, decoder_depth=2, decoder_heads=12):
        super().__init__()
        grid = tuple(i // p for i, p in zip(input_shape, patch))
        self.down_projection = PatchEmbed(patch, 1, embed_dim)
        self.eva = Eva(embed_dim, depth, heads, grid)
        self.up_projection = PatchDecode(patch, embed_dim, 1)
        self.decoder = Eva(embed_dim, decoder_depth, decoder_heads, grid)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, embed_dim))


# --- deterministic values: testing/tools/det_values.py, reproduced bit-exactly in TypeScript ---------


def fill(key, shape, seed, offset, scale):
    v = offset + scale * det_values(int(np.prod(shape)), seed)
    # float32 rounding first, as the TypeScript side builds float32 tensors from the same recipe
    t = torch.tensor(v.astype(np.float32).astype(np.float64)).reshape(shape)
    return t, dict(key=key, shape=list(shape), seed=seed, offset=offset, scale=scale)


def fill_module(module, seed0):
    """Every parameter from a recipe: norms and LayerScale around their init, weights ~ U(±1/√fan_in)."""
    recipes = []
    with torch.no_grad():
        for i, (k, p) in enumerate(module.named_parameters()):
            last = k.split('.')[-1]
            if last.startswith('gamma'):
                offset, scale = 0.1, 0.05
            elif p.dim() == 1 and ('norm' in k or '.1.' in k) and last == 'weight':
                offset, scale = 1.0, 0.2
            elif p.dim() == 1:
                offset, scale = 0.0, 0.2
            elif k.endswith('pos_embed') or k == 'mask_token':
                offset, scale = 0.0, 0.5
            else:
                fan_in = p.shape[1] * int(np.prod(p.shape[2:])) if p.dim() > 2 else p.shape[1]
                if 'up_projection' in k:  # ConvTranspose weight [in, out, k…]: torch's fan-in is dim 1 × k
                    fan_in = p.shape[1] * int(np.prod(p.shape[2:]))
                offset, scale = 0.0, 1.0 / math.sqrt(fan_in)
            t, r = fill(k, tuple(p.shape), seed0 + i, offset, scale)
            p.copy_(t)
            recipes.append(r)
    return recipes


def round_list(t):
    # 9 significant digits: far below the 1e-4 tolerance, and half the file size of full float64
    return [float(f'{v:.9g}') for v in t.detach().reshape(-1).tolist()]


# --- fixtures ----------------------------------------------------------------------------------------

def keys_fixture():
    out = {'torch': torch.__version__, 'presets': {}}
    torch.manual_seed(0)
    for name, p in PRESETS.items():
        shape = (160, 160, 160) if name != 'primus-tiny' else (16, 24, 32)
        net = Primus(1, 1, p['embed_dim'], p['depth'], p['heads'], (8, 8, 8), shape)
        params = {k for k, _ in net.named_parameters()}
        keys = [[k, list(t.shape), 'param' if k in params else 'buffer'] for k, t in net.state_dict().items()]
        trainable = sum(t.numel() for t in net.parameters())
        buffers = sum(t.numel() for k, t in net.state_dict().items() if k not in params)
        if name in REFERENCE_COUNTS:
            assert trainable + buffers == REFERENCE_COUNTS[name], (name, trainable + buffers)
        parts = {part: sum(t.numel() for k, t in net.named_parameters() if k.startswith(part + '.') or k == part)
                 for part in ['down_projection', 'up_projection', 'eva', 'eva.pos_embed', 'eva.blocks.0']}
        out['presets'][name] = dict(
            patchSize=list(shape), embedDim=p['embed_dim'], depth=p['depth'], heads=p['heads'],
            decodeChannels=net.up_projection.channels, keys=keys,
            counts=dict(trainable=trainable, buffers=buffers, **parts))
        print(f'{name}: {trainable:,} trainable + {buffers:,} buffer = {trainable + buffers:,}')
        del net
    mae = EvaMAE(864, 16, 12, (8, 8, 8), (160, 160, 160))
    mae_count = sum(t.numel() for t in mae.parameters())
    assert mae_count == 176_656_193, mae_count
    out['evaMaeM'] = dict(parameters=mae_count, decoder=sum(t.numel() for t in mae.decoder.parameters()),
                          keys=[[k, list(t.shape)] for k, t in mae.state_dict().items() if k.startswith('decoder.') or k == 'mask_token'])
    print(f'EvaMAE-M: {mae_count:,}')
    return out


def eva_block_fixture():
    dim, heads, grid, n = 24, 2, (2, 3, 4), 2
    tokens = int(np.prod(grid))
    block = EvaBlock(dim, heads).double()
    recipes = fill_module(block, 10)
    rope = rope_table(grid, round(dim // heads / 1.5)).double()
    cases = []
    keep = torch.tensor([[5, 0, 23, 11, 17], [2, 19, 7, 8, 14]])
    for name, kept in [('all-tokens', None), ('kept-tokens', keep)]:
        count = tokens if kept is None else kept.shape[1]
        x, x_recipe = fill('input', (n, count, dim), 1000 + (0 if kept is None else 1), 0.0, 1.0)
        r, r_recipe = fill('weights', (n, count, dim), 2000 + (0 if kept is None else 1), 0.0, 1.0)
        x.requires_grad_(True)
        block.zero_grad()
        y = block(x, rope if kept is None else rope[kept].unsqueeze(1))
        (y * r).sum().backward()
        cases.append(dict(
            name=name, keep=None if kept is None else kept.reshape(-1).tolist(), perSample=count,
            input=x_recipe, lossWeights=r_recipe,
            output=dict(shape=list(y.shape), data=round_list(y)),
            gradInput=round_list(x.grad),
            gradParams={k: round_list(p.grad) for k, p in block.named_parameters()}))
    return dict(torch=torch.__version__, dtype='float64', dim=dim, heads=heads, grid=list(grid), batch=n,
                weights=recipes, cases=cases)


def primus_forward_fixture():
    cfg = dict(embed_dim=24, depth=2, heads=2)
    patch, shape, cin, cout = (4, 4, 4), (8, 12, 16), 2, 3
    net = Primus(cin, cout, cfg['embed_dim'], cfg['depth'], cfg['heads'], patch, shape).double()
    recipes = fill_module(net, 50)
    x, x_recipe = fill('input', (2, cin, *shape), 3000, 0.0, 1.0)
    with torch.no_grad():
        y, features = net(x)
    return dict(torch=torch.__version__, dtype='float64', config=dict(embedDim=cfg['embed_dim'], depth=cfg['depth'], numHeads=cfg['heads'],
                patchEmbedSize=list(patch)), patchSize=list(shape), inChannels=cin, outChannels=cout,
                decodeChannels=net.up_projection.channels, weights=recipes, input=x_recipe,
                output=dict(shape=list(y.shape), data=round_list(y)),
                features=dict(shape=list(features.shape), data=round_list(features)))


def write(name, obj):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path + '.tmp', 'w') as f:
        json.dump(obj, f, separators=(',', ':'))
        f.flush()
        os.fsync(f.fileno())
    os.replace(path + '.tmp', path)
    print('wrote', os.path.relpath(path, os.path.join(HERE, '..')), f'({os.path.getsize(path):,} bytes)')


if __name__ == '__main__':
    torch.set_default_dtype(torch.float32)
    write('primus-keys.json', keys_fixture())
    write('eva-block.json', eva_block_fixture())
    write('primus-forward.json', primus_forward_fixture())
