#!/usr/bin/python3
"""Reference timings for bench/augment.bench.ts, run with Debian's python3 (numpy + scipy).

  spatial <input.f32> <X> <Y> <Z> <P> <ax> <ay> <az> <scale> <out.f32> <repeats> [<mask.u8>]
      batchgenerators' augment_spatial path for one sample: centred coordinate grid, row-vector rotation
      Rx.Ry.Rz, scale, centre shape/2 - 0.5, scipy map_coordinates(order=3, mode='constant', cval=0) on
      the image and, with a mask, per-label order-1 interpolation (cval -1). Writes the image result.
  simclr <images> <seed> <force>
      The SimCLR/VoCo crop augmentation of nnssl (section 3.5) on 2 x (reference, overlapping) 64^3 crops
      of a 192x192x64 patch per image, written with numpy/scipy the way batchgenerators implements each
      step (batchgenerators itself is not installed here). force=1 makes every step fire.
Prints one JSON object: wall-clock and process CPU milliseconds (median per run, or mean per image).
"""
import json
import sys
import time

import numpy as np
from scipy import ndimage


def rotation(ax, ay, az):
    rx = np.array([[1, 0, 0], [0, np.cos(ax), -np.sin(ax)], [0, np.sin(ax), np.cos(ax)]])
    ry = np.array([[np.cos(ay), 0, np.sin(ay)], [0, 1, 0], [-np.sin(ay), 0, np.cos(ay)]])
    rz = np.array([[np.cos(az), -np.sin(az), 0], [np.sin(az), np.cos(az), 0], [0, 0, 1]])
    return np.identity(3).dot(rx).dot(ry).dot(rz)


def spatial(img, mask, patch, angles, scale):
    mesh = np.array(np.meshgrid(*[np.arange(p) for p in patch], indexing="ij")).astype(float)
    for d in range(3):
        mesh[d] -= (patch[d] - 1) / 2.0
    coords = np.dot(mesh.reshape(3, -1).T, rotation(*angles)).T.reshape(mesh.shape)
    coords *= scale
    for d in range(3):
        coords[d] += img.shape[d] / 2.0 - 0.5
    out = ndimage.map_coordinates(img.astype(float), coords, order=3, mode="constant", cval=0).astype(np.float32)
    seg = None
    if mask is not None:
        seg = np.zeros(patch, mask.dtype)
        for c in np.unique(mask):
            res = ndimage.map_coordinates((mask == c).astype(float), coords, order=1, mode="constant", cval=-1)
            seg[res >= 0.5] = c
    return out, seg


def run_spatial(args):
    path, X, Y, Z, P = args[0], int(args[1]), int(args[2]), int(args[3]), int(args[4])
    angles = [float(a) for a in args[5:8]]
    scale, out_path, repeats = float(args[8]), args[9], int(args[10])
    img = np.fromfile(path, dtype=np.float32).reshape(X, Y, Z)
    mask = np.fromfile(args[11], dtype=np.uint8).reshape(X, Y, Z) if len(args) > 11 else None
    wall, cpu = [], []
    out = None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        out, _seg = spatial(img, mask, (P, P, P), angles, scale)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    out.tofile(out_path)
    return {"wall_ms": float(np.median(wall)), "cpu_ms": float(np.median(cpu))}


def around_one(rng, lo, hi):
    if rng.random() < 0.5 and lo < 1:
        return rng.uniform(lo, 1)
    return rng.uniform(max(lo, 1), hi)


def resize(img, shape, order):
    """skimage.transform.resize(mode='edge', anti_aliasing=False, clip=True)."""
    factors = np.divide(img.shape, shape)
    out = ndimage.zoom(img, [1 / f for f in factors], order=order, mode="nearest", grid_mode=True)
    return np.clip(out, img.min(), img.max())


def gamma(x, rng, invert):
    x = -x if invert else x
    mn, sd = x.mean(), x.std()
    g = around_one(rng, 0.7, 1.5)
    lo = x.min()
    rnge = x.max() - lo
    x = np.power((x - lo) / float(rnge + 1e-7), g) * float(rnge + 1e-7) + lo
    x = x - x.mean()
    x = x / (x.std() + 1e-8) * sd + mn
    return -x if invert else x


def augment_crop(x, rng, force):
    """One (C=1) 64^3 crop through nnssl's crop Compose; x is float32 (X, Y, Z)."""
    p = (lambda q: True) if force else (lambda q: rng.random() < q)
    if p(0.1):
        x = x + rng.normal(0.0, rng.uniform(0, 0.1), size=x.shape).astype(np.float32)
    if p(0.2) and (force or rng.random() <= 0.5):
        x = ndimage.gaussian_filter(x, rng.uniform(0.5, 1.0), order=0)
    if p(0.15):
        x = x * rng.uniform(0.75, 1.25)
    if p(0.15):
        f = around_one(rng, 0.75, 1.25)
        mn, lo, hi = x.mean(), x.min(), x.max()
        x = np.clip((x - mn) * f + mn, lo, hi)
    if p(0.1) and (force or rng.random() < 0.5):
        shp = np.array(x.shape)
        target = np.round(shp * rng.uniform(0.5, 1)).astype(int)
        x = resize(resize(x.astype(float), target, 0), shp, 3).astype(np.float32)
    if p(0.1):
        x = gamma(x, rng, True).astype(np.float32)
    if p(0.3):
        x = gamma(x, rng, False).astype(np.float32)
    for axis in range(3):
        if rng.random() < 0.5:
            x = np.flip(x, axis)
    if p(0.3):
        x = np.rot90(x, rng.choice([1, 2, 3]), (0, 1))
    return np.ascontiguousarray(x)


def crop_pair(rng, dims, size=64, overlap=32):
    ref = [rng.integers(0, d - size + 1) for d in dims]
    other = [rng.integers(max(0, r - overlap), min(d - size, r + overlap) + 1) for r, d in zip(ref, dims)]
    return ref, other


def run_simclr(args):
    images, seed, force = int(args[0]), int(args[1]), args[2] == "1"
    rng = np.random.default_rng(seed)
    dims = (192, 192, 64)
    patch = rng.uniform(-1, 1, size=dims).astype(np.float32)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(images):
        for _crop in range(2):
            for start in crop_pair(rng, dims):
                c = patch[start[0]:start[0] + 64, start[1]:start[1] + 64, start[2]:start[2] + 64].copy()
                augment_crop(c, rng, force)
    return {"wall_ms": (time.perf_counter() - t0) * 1000 / images, "cpu_ms": (time.process_time() - c0) * 1000 / images}


if __name__ == "__main__":
    mode = sys.argv[1]
    result = run_spatial(sys.argv[2:]) if mode == "spatial" else run_simclr(sys.argv[2:])
    print(json.dumps(result))
