"""Reference values from nibabel for the NIfTI conformance test of @openmind-ssl/data.

usage: /usr/bin/python3 nibabel_reference.py list
       /usr/bin/python3 nibabel_reference.py describe FILE...
       /usr/bin/python3 nibabel_reference.py brief LISTFILE

`list` prints nibabel's test-data folder and its .nii/.nii.gz files; `describe` prints, for each file,
what nibabel reads: shape, on-disk dtype, zooms, affine, a SHA-256 of the stored (unscaled) voxels as
little-endian bytes in file (Fortran) order, statistics of the scaled voxels, and the same after
reorientation to RAS+ (nib.as_closest_canonical). `brief` reads the file names (one a line) from
LISTFILE and prints only shape, dtype, affine and the SHA-256, or nibabel's error, for each: the NIfTI
fuzz test compares its successful parses of mutated files in one call. Output is one JSON document on stdout.
"""
import glob
import hashlib
import json
import os
import sys

import numpy as np
import nibabel as nib


def load(path):
    # nib.load would return a Cifti2Image for a CIFTI file; the test compares the NIfTI container.
    with open(path, 'rb') as f:
        head = f.read(4)
    if path.endswith('.gz'):
        import gzip
        with gzip.open(path, 'rb') as f:
            head = f.read(4)
    size = int.from_bytes(head, 'little')
    if size not in (348, 540):
        size = int.from_bytes(head, 'big')
    klass = nib.Nifti2Image if size == 540 else nib.Nifti1Image
    return klass.from_filename(path)


def finite_stats(arr):
    a = np.asarray(arr, dtype=np.float64).ravel(order='F')
    finite = np.isfinite(a)
    f = a[finite]
    weights = (np.arange(a.size, dtype=np.float64) % 9973) + 1
    return {
        'sum': float(f.sum()) if f.size else 0.0,
        'min': float(f.min()) if f.size else None,
        'max': float(f.max()) if f.size else None,
        'weighted': float((a[finite] * weights[finite]).sum()) if f.size else 0.0,
        'nan': int(np.isnan(a).sum()),
        'inf': int(np.isinf(a).sum()),
    }


def describe(path):
    try:
        img = load(path)
    except Exception as exc:  # reported as a skip reason by the test
        return {'file': path, 'ok': False, 'error': f'{type(exc).__name__}: {exc}'}
    hdr = img.header
    raw = np.asanyarray(img.dataobj.get_unscaled())
    disk = hdr.get_data_dtype()
    raw_le = raw.astype(disk.newbyteorder('<'), copy=False)
    scaled = np.asanyarray(img.dataobj)
    # What nib.as_closest_canonical does, applied to the stored values so they can be hashed exactly.
    ornt = nib.orientations.io_orientation(img.affine)
    canon = nib.orientations.apply_orientation(raw_le, ornt)
    canon_affine = img.affine @ nib.orientations.inv_ornt_aff(ornt, img.shape)
    return {
        'file': path,
        'ok': True,
        'shape': list(img.shape),
        'dtype': disk.newbyteorder('=').name,
        'spacing': [float(z) for z in hdr.get_zooms()],
        'affine': img.affine.tolist(),
        'orientation': ''.join(nib.aff2axcodes(img.affine)),
        'raw_sha256': hashlib.sha256(raw_le.tobytes(order='F')).hexdigest(),
        'scaled': finite_stats(scaled),
        'version': 2 if isinstance(img, nib.Nifti2Image) else 1,
        'canonical': {
            'shape': list(canon.shape),
            'affine': canon_affine.tolist(),
            'raw_sha256': hashlib.sha256(np.asarray(canon).tobytes(order='F')).hexdigest(),
        },
    }


def load_without_extensions(path):
    # The readers compare the NIfTI container; header extensions (CIFTI XML...) are not parsed, so a
    # mutated extension must not make nibabel refuse: the extension flag is cleared in memory.
    import gzip
    with open(path, 'rb') as f:
        data = bytearray(f.read())
    if data[:2] == b'\x1f\x8b':
        data = bytearray(gzip.decompress(bytes(data)))
    size = int.from_bytes(data[:4], 'little')
    if size not in (348, 540):
        size = int.from_bytes(data[:4], 'big')
    if len(data) >= size + 4:
        data[size] = 0
    klass = nib.Nifti2Image if size == 540 else nib.Nifti1Image
    return klass.from_bytes(bytes(data))


def brief(path):
    # Everything inside the try: a mutated file may break nibabel anywhere, and that is its answer.
    try:
        img = load_without_extensions(path)
        raw = np.asanyarray(img.dataobj.get_unscaled())
        disk = img.header.get_data_dtype()
        raw_le = raw.astype(disk.newbyteorder('<'), copy=False)
        return {
            'file': path,
            'ok': True,
            'shape': list(img.shape),
            'dtype': disk.newbyteorder('=').name,
            # JSON has no NaN or Infinity: those entries are written as the strings 'nan', 'inf', '-inf'.
            'affine': [[float(v) if np.isfinite(v) else str(float(v)) for v in row] for row in img.affine],
            'raw_sha256': hashlib.sha256(raw_le.tobytes(order='F')).hexdigest(),
        }
    except Exception as exc:
        return {'file': path, 'ok': False, 'error': f'{type(exc).__name__}: {exc}'}


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    if sys.argv[1] == 'list':
        folder = os.path.join(os.path.dirname(nib.__file__), 'tests', 'data')
        files = sorted(glob.glob(os.path.join(folder, '*.nii')) + glob.glob(os.path.join(folder, '*.nii.gz')))
        print(json.dumps({'nibabel': nib.__version__, 'folder': folder, 'files': files}))
    elif sys.argv[1] == 'describe':
        print(json.dumps([describe(p) for p in sys.argv[2:]]))
    elif sys.argv[1] == 'brief':
        with open(sys.argv[2]) as f:
            files = [line.rstrip('\n') for line in f if line.strip()]
        print(json.dumps([brief(p) for p in files]))
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == '__main__':
    main()
