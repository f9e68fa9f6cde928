"""The fixture tools' deterministic values, shared by every package's generator (arch-resenc, arch-primus,
interop through arch-resenc's tool) and reproduced bit-exactly by @openmind-ssl/testing's `detValues`, so
fixtures store fill recipes instead of weights. Imported with `sys.path` pointing here."""

import numpy as np


def det_values(n, seed):
    """n values in [-1, 1): a 32-bit integer hash of (index, seed), all arithmetic mod 2^32."""
    m = np.uint64(0xFFFFFFFF)
    i = np.arange(n, dtype=np.uint64)
    h = (i * np.uint64(2654435761) + np.uint64((seed + 1) * 40503)) & m
    h ^= h >> np.uint64(15)
    h = (h * np.uint64(2246822519)) & m
    h ^= h >> np.uint64(13)
    return h.astype(np.float64) / 2.0 ** 31 - 1.0
