#!/usr/bin/python3
"""Loads .pth files exported by @openmind-ssl/interop in PyTorch and runs the network they describe.

usage: check_export.py --input x.f32 --shape 1,1,16,16,16 --out-dir DIR file.pth [file.pth ...]

For each file: torch.load with the weights-only unpickler (see torch_reference.weights_only_load), the
adaptation plan from the checkpoint ('nnssl_adaptation_plan') or from adaptation_plan.json beside it, the
reference ResEnc U-Net built from that plan in plain torch, a *strict* load_state_dict of the weights
(the file's `network_weights`, or the file itself when it is a plain state dict), then a float32 forward
pass in eval mode on the raw little-endian float32 input. Writes DIR/<name>.out.f32 and prints one JSON
line per file: {file, loader, keys, aliases, shared, output_shape}.
"""
import argparse
import json
import os

import numpy as np
import torch

from torch_reference import network_from_plan, resenc, weights_only_load


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--input', required=True)
    ap.add_argument('--shape', required=True)
    ap.add_argument('--out-dir', required=True)
    ap.add_argument('files', nargs='+')
    args = ap.parse_args()
    shape = [int(s) for s in args.shape.split(',')]
    x = torch.from_numpy(np.fromfile(args.input, dtype='<f4').reshape(shape))
    for path in args.files:
        obj, loader = weights_only_load(path)
        if 'network_weights' in obj:
            sd, plan = obj['network_weights'], obj['nnssl_adaptation_plan']
        else:
            sd = obj
            with open(os.path.join(os.path.dirname(path), 'adaptation_plan.json')) as f:
                plan = json.load(f)
        cin = sd['encoder.stem.convs.0.conv.weight'].shape[1]
        cout = sd['decoder.seg_layers.0.weight'].shape[0]
        model = network_from_plan(plan, cin, cout)
        model.load_state_dict(sd, strict=True)
        model.eval()
        with torch.no_grad():
            y = model(x)[0]
        name = os.path.basename(path)
        y.numpy().astype('<f4').tofile(os.path.join(args.out_dir, f'{name}.out.f32'))
        # Aliases written by torch.save share storage; check ours do too.
        conv, alias = sd['encoder.stem.convs.0.conv.weight'], sd['encoder.stem.convs.0.all_modules.0.weight']
        shared = conv.storage().data_ptr() == alias.storage().data_ptr()
        print(json.dumps({'file': name, 'loader': loader, 'keys': len(sd), 'aliases': sum(resenc.is_alias(k) for k in sd),
                          'shared': bool(shared), 'output_shape': list(y.shape)}))


if __name__ == '__main__':
    main()
