#!/usr/bin/python3
"""Writes the PyTorch fixtures of @openmind-ssl/interop into ../fixtures (run: /usr/bin/python3 tools/gen_interop_fixtures.py).

  resenc-micro-nnssl.pth   an nnssl-style checkpoint_final.pth written by torch.save (zip format): network_weights
                           of a 3-stage ResEnc U-Net built in plain torch from the spec (random PyTorch-default
                           weights, DNA's alias keys included), nnssl_adaptation_plan (a dict, keys_to_in_proj a
                           tuple as nnssl's asdict leaves it), optimizer_state after one SGD step, logging,
                           init_args with a torch.device, trainer_name
  resenc-micro-forward.json  the network's float32 output on a fixed input (input given as a det_values recipe)
  zoo.pth / zoo-legacy.pth the same object in the zip and the legacy (_use_new_zipfile_serialization=False)
                           formats: every supported dtype, strided/offset/transposed views, shared storages,
                           0-d and empty tensors, a Parameter, numpy scalars and arrays, nested containers
  zoo.json                 the expected tensors of the zoo (dtype, shape, contiguous values)
  pickles.json             one plain-data object pickled by CPython with protocols 0-5 (base64), for opcode coverage
  pos-embed.json           F.interpolate(trilinear, align_corners=False) of a [1, T, C] token grid, the
                           reference for position-embedding resizing
"""
import base64
import json
import os
import pickle
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F

from torch_reference import HERE, MICRO, arch_kwargs, resenc

OUT = os.path.join(HERE, '..', 'fixtures')
FORWARD_INPUT = dict(shape=[1, 1, 16, 8, 8], seed=7, offset=0.0, scale=1.0)


def nnssl_plan(kwargs, patch):
    return {
        'architecture_plans': {'arch_class_name': 'ResidualEncoderUNet', 'arch_kwargs': kwargs,
                               'arch_kwargs_requiring_import': ['conv_op', 'norm_op', 'nonlin']},
        'pretrain_plan': {
            'dataset_name': 'Dataset001_Micro', 'plans_name': 'nnsslPlans',
            'original_median_spacing_after_transp': [1, 1, 1], 'image_reader_writer': 'SimpleITKIO',
            'transpose_forward': [0, 1, 2], 'transpose_backward': [0, 1, 2],
            'configurations': {'onemmiso': {
                'data_identifier': 'nnsslPlans_onemmiso', 'preprocessor_name': 'DefaultPreprocessor',
                'spacing_style': 'onemmiso', 'normalization_schemes': ['ZScoreNormalization'], 'use_mask_for_norm': [False],
                'resampling_fn_data': 'resample_data_or_seg_to_shape',
                'resampling_fn_data_kwargs': {'is_seg': False, 'order': 3, 'order_z': 0, 'force_separate_z': None},
                'resampling_fn_mask': 'resample_data_or_seg_to_shape',
                'resampling_fn_mask_kwargs': {'is_seg': False, 'order': 1, 'order_z': 0, 'force_separate_z': None},
                'spacing': [1, 1, 1], 'patch_size': list(patch)}},
            'experiment_planner_used': 'ExperimentPlanner'},
        'pretrain_num_input_channels': 1,
        'recommended_downstream_patchsize': list(patch),
        'key_to_encoder': 'encoder.stages',
        'key_to_stem': 'encoder.stem',
        'keys_to_in_proj': ('encoder.stem.convs.0.conv', 'encoder.stem.convs.0.all_modules.0'),
        'key_to_lpe': None,
    }


def micro_checkpoint():
    torch.manual_seed(1234)
    model = resenc.ResEncUNet(1, 1, MICRO['features'], MICRO['blocks'], MICRO['strides'])
    # Train-mode affine norms start at weight 1 / bias 0; perturb them so a swapped norm would show.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if '.norm.' in name:
                p.add_(0.1 * torch.randn_like(p))
    opt = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.99, nesterov=True, weight_decay=3e-5)
    x = resenc.filled(dict(key='x', **FORWARD_INPUT)).float()
    model(x)[0].square().mean().backward()
    opt.step()
    opt.zero_grad()
    model.eval()
    with torch.no_grad():
        y = model(x)[0]
    patch = FORWARD_INPUT['shape'][2:]
    plan = nnssl_plan(arch_kwargs(**MICRO), patch)
    ckpt = {
        'network_weights': model.state_dict(),
        'optimizer_state': opt.state_dict(),
        'grad_scaler_state': None,
        'logging': {'train_losses': [1.25, 0.875], 'val_losses': [1.5, 0.9], 'lrs': [0.01, 0.00995],
                    'epoch_start_timestamps': [1700000000.5, 1700000100.25], 'epoch_end_timestamps': [1700000099.0, 1700000199.0]},
        '_best_ema': 0.9,
        'current_epoch': 2,
        'init_args': {'plan': {'dataset_name': 'Dataset001_Micro'}, 'configuration_name': 'onemmiso', 'fold': 'all',
                      'pretrain_json': {'collection_index': 1, 'collection_name': 'micro'}, 'device': torch.device('cpu')},
        'trainer_name': 'BaseMAETrainer_BS8',
        'nnssl_adaptation_plan': plan,
    }
    torch.save(ckpt, os.path.join(OUT, 'resenc-micro-nnssl.pth'))
    sd = model.state_dict()
    return {
        'torch': torch.__version__,
        'config': MICRO,
        'input': FORWARD_INPUT,
        'keys': len(sd),
        'aliasKeys': sum(resenc.is_alias(k) for k in sd),
        'output': {'shape': list(y.shape), 'data': [float(f'{v:.9g}') for v in y.flatten().tolist()]},
    }


def zoo():
    base = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4) * 0.5 - 3
    shared = torch.tensor([7.0, 8.0, 9.0])
    obj = OrderedDict([
        ('f32', base),
        ('f32_permuted', base.permute(2, 0, 1)),
        ('f32_offset', base[1, 1:]),
        ('f32_strided', base[:, ::2, 1::2]),
        ('f64', torch.tensor([1.5, -2.25, 1e300], dtype=torch.float64)),
        ('f16', torch.tensor([0.5, -1.0, 65504.0, 6e-8], dtype=torch.float16)),
        ('bf16', torch.tensor([1.0, -3.5, 1e38], dtype=torch.bfloat16)),
        ('i64', torch.tensor([0, -1, 2 ** 40, -(2 ** 62)], dtype=torch.int64)),
        ('i64_small', torch.tensor([[1, 2], [3, -4]], dtype=torch.int64)),
        ('i32', torch.tensor([2 ** 31 - 1, -(2 ** 31)], dtype=torch.int32)),
        ('i16', torch.tensor([-300, 300], dtype=torch.int16)),
        ('i8', torch.tensor([-128, 127], dtype=torch.int8)),
        ('u8', torch.tensor([0, 255], dtype=torch.uint8)),
        ('bool', torch.tensor([True, False, True])),
        ('scalar', torch.tensor(3.25)),
        ('empty', torch.zeros(0, 3)),
        ('param', torch.nn.Parameter(torch.ones(2))),
        ('shared_a', shared),
        ('shared_b', shared),
        ('np_f64', np.float64(2.5)),
        ('np_i64', np.int64(-7)),
        ('np_bool', np.bool_(True)),
        ('np_arr', np.arange(6, dtype=np.float32).reshape(2, 3)),
        ('np_i64_arr', np.array([1, 2 ** 40], dtype=np.int64)),
        ('nested', {'list': [1, 2.5, 'x', None, True], 'tuple': (1, (2, 3)), 'int_keys': {0: 'a', 1: 'b'},
                    'big': 2 ** 70, 'neg': -5, 'bytes': b'\x00\xffab', 'size': torch.Size([2, 3]),
                    'device': torch.device('cuda', 0), 'od': OrderedDict([('z', 1), ('a', 2)])}),
    ])
    torch.save(obj, os.path.join(OUT, 'zoo.pth'))
    torch.save(obj, os.path.join(OUT, 'zoo-legacy.pth'), _use_new_zipfile_serialization=False)
    expected = {}
    for k, v in obj.items():
        if isinstance(v, torch.Tensor):
            t = v.detach().contiguous()
            values = t.flatten().tolist()
            if t.dtype == torch.int64:
                values = [str(x) for x in values]
            elif t.dtype == torch.bool:
                values = [int(x) for x in values]
            elif t.dtype.is_floating_point:
                values = [repr(float(x)) for x in t.double().flatten().tolist()]
            expected[k] = {'dtype': str(t.dtype).replace('torch.', ''), 'shape': list(t.shape), 'values': values}
    return {'torch': torch.__version__, 'tensors': expected}


def pos_embed():
    old, new, channels = [2, 3, 4], [3, 5, 2], 5
    pe = resenc.filled(dict(key='pe', shape=[1, int(np.prod(old)), channels], seed=11, offset=0.0, scale=1.0)).float()
    grid = pe.reshape(1, *old, channels).permute(0, 4, 1, 2, 3)
    out = F.interpolate(grid, size=new, mode='trilinear', align_corners=False).permute(0, 2, 3, 4, 1).reshape(1, -1, channels)
    return {'oldGrid': old, 'newGrid': new, 'channels': channels,
            'input': dict(shape=list(pe.shape), seed=11, offset=0.0, scale=1.0),
            'output': {'shape': list(out.shape), 'data': [float(f'{v:.9g}') for v in out.flatten().tolist()]}}


def pickles():
    obj = {'int': 1, 'neg': -70000, 'big': 2 ** 100, 'negbig': -(2 ** 65), 'float': 1.5, 'tiny': 1e-300, 'str': 'h\u00e9llo \u2713',
           'bytes': b'\x00\x01\xff', 'list': [1, [2, 3]], 'tuple': (1, 2, 3, 4), 'none': None, 'bool': [True, False],
           'set': {1, 2}, 'frozenset': frozenset({3}), 'od': OrderedDict([('b', 1), ('a', 2)]), 'int_keys': {1: 'x', 2: 'y'},
           'empties': ((), [], {}), 'shared': None}
    shared = [7, 8]
    obj['shared'] = [shared, shared]
    return {'protocols': {str(p): base64.b64encode(pickle.dumps(obj, protocol=p)).decode() for p in range(6)}}


def main():
    os.makedirs(OUT, exist_ok=True)
    forward = micro_checkpoint()
    with open(os.path.join(OUT, 'resenc-micro-forward.json'), 'w') as f:
        json.dump(forward, f, separators=(',', ':'))
    with open(os.path.join(OUT, 'zoo.json'), 'w') as f:
        json.dump(zoo(), f, indent=1)
    with open(os.path.join(OUT, 'pickles.json'), 'w') as f:
        json.dump(pickles(), f, indent=1)
    with open(os.path.join(OUT, 'pos-embed.json'), 'w') as f:
        json.dump(pos_embed(), f, separators=(',', ':'))
    for name in sorted(os.listdir(OUT)):
        print(f'{name}: {os.path.getsize(os.path.join(OUT, name))} bytes')
    print(f"micro ResEnc: {forward['keys']} keys ({forward['aliasKeys']} aliases), output {forward['output']['shape']}")


if __name__ == '__main__':
    main()
