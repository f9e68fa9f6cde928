#!/usr/bin/env bash
# Installs what the benchmarks' references run on: Debian's PyTorch, nibabel and scipy, and OpenBLAS as the
# BLAS behind PyTorch's matrix products. Without libopenblas0-pthread, Debian resolves libblas.so.3 to the
# reference BLAS (libblas3), about 4x slower than any PyTorch a user runs; bench/write-result.ts refuses
# results measured on it.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then echo "install-reference: run as root (apt-get)"; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3-torch python3-nibabel python3-scipy python3-numpy libopenblas0-pthread >/dev/null
# An earlier manual choice of the reference BLAS would survive the install: return to the automatic one.
update-alternatives --auto "libblas.so.3-$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)" || true
/usr/bin/python3 "$(dirname "$0")/torch_build.py" 2
