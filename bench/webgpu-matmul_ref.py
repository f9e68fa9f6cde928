"""PyTorch reference for bench/webgpu-matmul.bench.ts: a float32 matmul, timed.

Usage: /usr/bin/python3 bench/webgpu-matmul_ref.py '{"m":1024,"k":1024,"n":1024,"threads":2,"min_seconds":1.0,"min_reps":3}'
Prints one JSON line: {"best_ms", "median_ms", "cpu_ms", "reps", "torch", "torch_build"} (cpu_ms: least process CPU time of one run).
"""
import json
import statistics
import sys
import time

import torch

from torch_build import build_info


def main():
    case = json.loads(sys.argv[1])
    torch.set_num_threads(case['threads'])
    torch.manual_seed(0)
    a = torch.randn(1, case['m'], case['k'])
    b = torch.randn(1, case['k'], case['n'])
    torch.matmul(a, b)  # warm-up
    times, cpu = [], []
    start = time.perf_counter()
    while len(times) < case['min_reps'] or time.perf_counter() - start < case['min_seconds']:
        c0 = time.process_time()
        t0 = time.perf_counter()
        torch.matmul(a, b)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    print(json.dumps({'best_ms': min(times), 'median_ms': statistics.median(times), 'cpu_ms': min(cpu), 'reps': len(times), 'torch': torch.__version__,
                      'torch_build': build_info()}))


if __name__ == '__main__':
    main()
