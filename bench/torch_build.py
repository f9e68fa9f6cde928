"""What a PyTorch reference of a benchmark runs on: BLAS library, oneDNN version, threads.

Debian's python3-torch is built against the generic BLAS interface (torch.__config__ says BLAS_INFO=generic);
which library answers is decided at load time by Debian's alternatives for libblas.so.3: the reference BLAS
(libblas3, about 4x slower at matrix products) or OpenBLAS (libopenblas0-pthread). So the library is read
from the process's own memory map after a matrix product has loaded it, not from the build settings.

Usage as a module: `from torch_build import build_info; print(json.dumps({..., 'torch_build': build_info()}))`.
Usage as a script: /usr/bin/python3 bench/torch_build.py [threads]   (prints the JSON object)
"""
import ctypes
import json
import os
import re
import sys

import torch


class _DlInfo(ctypes.Structure):
    _fields_ = [('dli_fname', ctypes.c_char_p), ('dli_fbase', ctypes.c_void_p),
                ('dli_sname', ctypes.c_char_p), ('dli_saddr', ctypes.c_void_p)]


def sgemm_provider():
    """Path of the shared object whose sgemm_ torch calls.

    torch's extension is loaded with RTLD_LOCAL, so its libraries resolve BLAS symbols in the breadth-first
    order of its own dependency tree; dlsym on the extension's handle searches exactly that order. A
    LAPACK from OpenBLAS also exports sgemm_, so listing the loaded libraries is not enough.
    """
    libdl = ctypes.CDLL(None)
    libdl.dladdr.argtypes = [ctypes.c_void_p, ctypes.POINTER(_DlInfo)]
    handle = ctypes.CDLL(torch._C.__file__)
    try:
        address = ctypes.cast(handle.sgemm_, ctypes.c_void_p).value
    except AttributeError:
        return None
    info = _DlInfo()
    if not libdl.dladdr(address, ctypes.byref(info)) or not info.dli_fname:
        return None
    return os.path.realpath(info.dli_fname.decode())


def blas_library():
    """('openblas' | 'mkl' | 'blis' | 'reference' | 'unknown', path of the library that runs sgemm)."""
    path = sgemm_provider()
    if path is None:
        return 'unknown', None
    if 'openblas' in path:
        return 'openblas', path
    if '/libmkl' in path:
        return 'mkl', path
    if 'blis' in path:
        return 'blis', path
    # Debian's reference implementation (libblas3) lives in .../blas/libblas.so.3.
    return ('reference' if '/blas/libblas.so' in path else 'unknown'), path


def onednn_version():
    m = re.search(r'(?:MKL-DNN|oneDNN)\D*v?(\d+\.\d+(?:\.\d+)?)', torch.__config__.show())
    return m.group(1) if m else None


def build_info():
    """JSON-ready facts about this reference run; call after torch.set_num_threads."""
    blas, path = blas_library()
    return {
        'torch': torch.__version__,
        'blas': blas,
        'blas_library': path,
        'onednn': onednn_version() if torch.backends.mkldnn.is_available() else None,
        'threads': torch.get_num_threads(),
    }


if __name__ == '__main__':
    if len(sys.argv) > 1:
        torch.set_num_threads(int(sys.argv[1]))
    print(json.dumps(build_info()))
