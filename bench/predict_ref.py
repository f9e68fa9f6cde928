#!/usr/bin/python3
"""PyTorch reference of bench/predict.bench.ts: nnU-Net's sliding-window prediction of one volume with the
same ResEnc weights and the same tiles (step 0.5, Gaussian σ = patch/8 peak 10, float32 buffers; mirroring
over every subset of the three axes when asked), written from finetune-spec §1.9.

Usage: /usr/bin/python3 bench/predict_ref.py '<case json>'
  case json: {"preset", "in_channels", "classes", "shape": [D,H,W], "patch": [D,H,W], "mirror": bool, "threads",
              "weights": <index.json of our canonical state dict>, "volume": <float32 file [C,D,H,W]>, "out": <file>}
Writes the logits [K,D,H,W] float32 to "out"; prints one JSON line {"seconds", "cpu_seconds", "peak_mb", "tiles", "torch_build"}.
peak_mb = VmHWM after the prediction - VmRSS just before it (network and volume loaded, high-water mark reset).
"""
import itertools
import json
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'packages', 'arch-resenc', 'tools'))
sys.path.insert(0, os.path.join(HERE, '..', 'packages', 'task-segmentation', 'test', 'fixtures'))
from gen_resenc_fixtures import PRESETS, ResEncUNet, is_alias  # noqa: E402
from make_sliding_window import gaussian_map, tile_starts  # noqa: E402
from torch_build import build_info  # noqa: E402


def status_kb(field):
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise RuntimeError(field)


def load_network(case):
    p = PRESETS[case['preset']]
    net = ResEncUNet(case['in_channels'], case['classes'], features=p['features'], blocks=p['blocks'], strides=p['strides']).eval()
    with open(case['weights']) as f:
        index = json.load(f)
    blob = np.fromfile(os.path.join(os.path.dirname(case['weights']), index['file']), dtype='<f4')
    state = net.state_dict()
    for key, entry in index['tensors'].items():
        values = torch.from_numpy(blob[entry['offset']:entry['offset'] + int(np.prod(entry['shape']))].copy()).reshape(entry['shape'])
        state[key].copy_(values)  # aliases share storage with the canonical key, so they follow
    missing = [k for k in state if not is_alias(k) and k not in index['tensors']]
    if missing:
        raise SystemExit(f'weights lack {missing[:3]}')
    return net


def main():
    case = json.loads(sys.argv[1])
    torch.set_num_threads(case['threads'])
    net = load_network(case)
    C, (D, H, W), patch = case['in_channels'], case['shape'], case['patch']
    image = torch.from_numpy(np.fromfile(case['volume'], dtype='<f4').reshape(C, D, H, W))
    g = gaussian_map(patch)

    def run(t):
        out = net(t)
        return out[0] if isinstance(out, (list, tuple)) else out

    combos = [c for i in range(3) for c in itertools.combinations([2, 3, 4], i + 1)] if case['mirror'] else []
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')
    before = status_kb('VmRSS')
    start = time.perf_counter()
    cpu_start = time.process_time()
    tiles = 0
    # nnUNetPredictor runs the sliding window under torch.inference_mode() (no autograd bookkeeping at all).
    with torch.inference_mode():
        # The volume is at least the patch here (the benchmark's shapes), so there is no padding step.
        logits = torch.zeros((case['classes'], D, H, W))
        weights = torch.zeros((D, H, W))
        for z in tile_starts(D, patch[0], 0.5):
            for y in tile_starts(H, patch[1], 0.5):
                for x in tile_starts(W, patch[2], 0.5):
                    sl = (slice(z, z + patch[0]), slice(y, y + patch[1]), slice(x, x + patch[2]))
                    tile = image[(slice(None), *sl)][None]
                    pred = run(tile)
                    for axes in combos:
                        pred += torch.flip(run(torch.flip(tile, axes)), axes)
                    pred /= len(combos) + 1
                    logits[(slice(None), *sl)] += pred[0] * g
                    weights[sl] += g
                    tiles += 1
        logits /= weights
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    peak = (status_kb('VmHWM') - before) / 1024
    logits.numpy().astype('<f4').tofile(case['out'])
    print(json.dumps({'seconds': seconds, 'cpu_seconds': cpu_seconds, 'peak_mb': peak, 'tiles': tiles, 'torch': torch.__version__, 'torch_build': build_info()}))


if __name__ == '__main__':
    main()
