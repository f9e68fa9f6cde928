"""nibabel side of bench/nifti.bench.ts: times reading (and writing) the same files in the same run.

usage: /usr/bin/python3 bench/nifti_ref.py <runs> <file.nii.gz> <file.nii> <out.nii.gz>
Prints one JSON line: {"nibabel": version, "read_gz_ms": [...], "read_nii_ms": [...], "write_gz_ms": [...]}.
Reads force the whole array into memory (np.asanyarray(img.dataobj); mmap off for .nii), which is what
readNifti does; writes use nibabel's default gzip level (1).
"""
import json
import sys
import time

import numpy as np
import nibabel as nib


def timed(runs, fn):
    fn()  # warm-up, as the TypeScript side does
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main():
    runs, gz, nii, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    read_gz = timed(runs, lambda: np.asanyarray(nib.load(gz).dataobj))
    read_nii = timed(runs, lambda: np.asanyarray(nib.load(nii, mmap=False).dataobj))
    img = nib.load(gz)
    data = np.asanyarray(img.dataobj)
    write = nib.Nifti1Image(data, img.affine, img.header)
    write_gz = timed(runs, lambda: nib.save(write, out))
    print(json.dumps({'nibabel': nib.__version__, 'read_gz_ms': read_gz, 'read_nii_ms': read_nii, 'write_gz_ms': write_gz}))


if __name__ == '__main__':
    main()
