"""PyTorch reference for bench/conv3d.bench.ts: one conv3d op on one shape, timed, with its peak memory.

Usage: /usr/bin/python3 bench/conv3d_ref.py '<case json>'
  case json: {"op": "forward"|"input-grad"|"filter-grad", "n":2, "c":32, "k":32, "size":64,
              "stride":1, "kernel":3, "padding":1, "threads":2, "min_seconds":2.0, "min_reps":3}
Prints one JSON line: {"best_ms", "median_ms", "cpu_ms", "reps", "peak_mb", "gflop", "torch", "torch_build"}
(cpu_ms: the least process CPU time of one run, all threads together).

Each op runs in its own process (the caller spawns one per op) so that peak memory is the op's own:
peak_mb = VmHWM after the timed runs - VmRSS just before the first run (inputs already allocated,
high-water mark reset there).
The gradients use aten's convolution_backward with a one-sided output mask, i.e. exactly the kernel
autograd calls, so neither gradient pays for the other.
"""
import json
import statistics
import sys
import time

import torch

from torch_build import build_info


def status_kb(field):
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise RuntimeError(field)


def main():
    case = json.loads(sys.argv[1])
    torch.set_num_threads(case['threads'])
    torch.manual_seed(0)
    n, c, k, size, s, kk, p = (case[f] for f in ('n', 'c', 'k', 'size', 'stride', 'kernel', 'padding'))
    x = torch.randn(n, c, size, size, size)
    w = torch.randn(k, c, kk, kk, kk)
    out = (size + 2 * p - kk) // s + 1
    dy = torch.randn(n, k, out, out, out)
    stride, pad, dil = [s] * 3, [p] * 3, [1] * 3

    if case['op'] == 'forward':
        def run():
            return torch.nn.functional.conv3d(x, w, stride=s, padding=p)
    elif case['op'] == 'input-grad':
        def run():
            return torch.ops.aten.convolution_backward(dy, x, w, None, stride, pad, dil, False, [0, 0, 0], 1, [True, False, False])[0]
    else:
        def run():
            return torch.ops.aten.convolution_backward(dy, x, w, None, stride, pad, dil, False, [0, 0, 0], 1, [False, True, False])[1]

    with torch.no_grad():
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')  # reset the high-water mark so the peak is the op's, not the setup's
        before_kb = status_kb('VmRSS')
        run()  # warm-up: oneDNN picks and caches its primitive
        times, cpu = [], []
        start = time.perf_counter()
        while len(times) < case['min_reps'] or time.perf_counter() - start < case['min_seconds']:
            c0 = time.process_time()
            t0 = time.perf_counter()
            run()
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        peak_kb = status_kb('VmHWM')
    gflop = 2 * n * k * c * kk ** 3 * out ** 3 / 1e9
    print(json.dumps({
        'best_ms': min(times), 'median_ms': statistics.median(times), 'cpu_ms': min(cpu), 'reps': len(times),
        'peak_mb': (peak_kb - before_kb) / 1024, 'gflop': gflop, 'torch': torch.__version__,
        'torch_build': build_info(),
    }))


if __name__ == '__main__':
    main()
