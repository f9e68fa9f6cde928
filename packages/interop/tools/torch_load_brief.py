"""What torch.load(weights_only=True) reads from each file, for the .pth fuzz test of @openmind-ssl/interop.

usage: /usr/bin/python3 torch_load_brief.py LISTFILE

LISTFILE names one file a line. For each file it prints either torch's error or every tensor found below
the root (through dicts, lists and tuples): its key path, dtype, shape and the SHA-256 of its contiguous
bytes. One JSON document on stdout; one process for the whole list.
"""
import hashlib
import json
import sys

import torch


def walk(value, path, out):
    if isinstance(value, torch.Tensor):
        t = value.detach().contiguous()
        raw = t.reshape(-1).view(torch.uint8) if t.numel() else torch.empty(0, dtype=torch.uint8)
        out.append({
            'path': '.'.join(path),
            'dtype': str(t.dtype).replace('torch.', ''),
            'shape': list(t.shape),
            'sha256': hashlib.sha256(raw.numpy().tobytes()).hexdigest(),
        })
    elif isinstance(value, dict):
        for k, v in value.items():
            walk(v, path + [str(k)], out)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            walk(v, path + [str(i)], out)


def brief(path):
    try:
        root = torch.load(path, map_location='cpu', weights_only=True)
        tensors = []
        walk(root, [], tensors)
        return {'file': path, 'ok': True, 'tensors': tensors}
    except Exception as exc:  # any refusal is torch's answer for this file
        return {'file': path, 'ok': False, 'error': f'{type(exc).__name__}: {str(exc)[-300:]}'}


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    with open(sys.argv[1]) as f:
        files = [line.rstrip('\n') for line in f if line.strip()]
    print(json.dumps([brief(p) for p in files]))


if __name__ == '__main__':
    main()
