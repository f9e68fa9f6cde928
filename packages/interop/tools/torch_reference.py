"""Shared helpers of the interop fixture scripts (run with /usr/bin/python3, torch >= 1.13).

The Residual Encoder U-Net comes from @openmind-ssl/arch-resenc's fixture script, which rebuilds it in plain
torch from the reference facts (nnssl-spec §4.1) with DNA's module nesting, so its state dict carries
DNA's keys including the `all_modules.*` and `decoder.encoder.*` aliases.
"""
import io
import os
import pickle
import pickletools
import sys
import torch
import torch._weights_only_unpickler  # noqa: F401  (an attribute of torch only once imported)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'arch-resenc', 'tools'))

import gen_resenc_fixtures as resenc  # noqa: E402  (path set just above)

# A 3-stage ResEnc U-Net small enough to commit as a .pth (19,982 parameters).
MICRO = dict(features=[4, 8, 16], blocks=[1, 1, 1], strides=[1, 2, 2])


def network_from_plan(plan, cin, cout):
    """The reference network an nnssl adaptation plan describes (ResidualEncoderUNet arch_kwargs only)."""
    arch = plan['architecture_plans']
    kw = arch['arch_kwargs']
    assert arch['arch_class_name'] == 'ResidualEncoderUNet', arch['arch_class_name']
    strides = [s[0] if isinstance(s, (list, tuple)) else s for s in kw['strides']]
    return resenc.ResEncUNet(cin, cout, list(kw['features_per_stage']), list(kw['n_blocks_per_stage']), strides)


def arch_kwargs(features, blocks, strides):
    """nnssl's serialized DynamicArchitecturePlans for a ResidualEncoderUNet."""
    n = len(features)
    return {
        'n_stages': n,
        'features_per_stage': list(features),
        'conv_op': 'torch.nn.modules.conv.Conv3d',
        'kernel_sizes': [[3, 3, 3]] * n,
        'strides': [[s, s, s] for s in strides],
        'n_blocks_per_stage': list(blocks),
        'n_conv_per_stage_decoder': [1] * (n - 1),
        'conv_bias': True,
        'norm_op': 'torch.nn.modules.instancenorm.InstanceNorm3d',
        'norm_op_kwargs': {'eps': 1e-05, 'affine': True},
        'dropout_op': None,
        'dropout_op_kwargs': None,
        'nonlin': 'torch.nn.modules.activation.LeakyReLU',
        'nonlin_kwargs': {'inplace': True},
    }


def weights_only_load(path):
    """torch.load(path, weights_only=True). torch 1.13's weights-only unpickler has no float opcode at all
    (torch >= 2.0 added BINFLOAT), so on torch < 2.0 a file holding Python floats (an adaptation plan's
    eps 1e-05) is loaded by that same restricted unpickler with BINFLOAT added, and nothing else."""
    try:
        return torch.load(path, weights_only=True), 'weights_only=True'
    except Exception as e:  # torch 1.13: '... Unsupported operand 71' (71 = BINFLOAT)
        if not str(e).rstrip().endswith('71') or int(torch.__version__.split('.')[0]) >= 2:
            raise
    # Negative control: the fallback must still refuse what torch's weights-only unpickler refuses.
    try:
        _BinFloatUnpickler(io.BytesIO(b'\x80\x02cos\nsystem\nX\x02\x00\x00\x00id\x85R.')).load()
        raise AssertionError('the BINFLOAT fallback accepted os.system')
    except RuntimeError:
        pass
    module = type(sys)('weights_only_with_binfloat')
    module.Unpickler = _BinFloatUnpickler
    # torch.load(pickle_module=...) cannot be used: torch 1.13 replaces any pickle_module by `pickle` when
    # weights_only is False, which would silently load with the unrestricted unpickler.
    with open(path, 'rb') as f, torch.serialization._open_zipfile_reader(f) as z:
        try:
            return torch.serialization._load(z, None, module, encoding='utf-8'), 'torch 1.13 weights-only allow-list + BINFLOAT'
        except RuntimeError as e:
            raise pickle.UnpicklingError(f'weights-only load (+ BINFLOAT) failed: {e}') from None


class _BinFloatUnpickler(torch._weights_only_unpickler.Unpickler):
    """Rewrites each BINFLOAT (found by pickletools' opcode parser, so argument bytes are never mistaken
    for opcodes) into a LONG_BINGET of a memo slot pre-filled with the float; then torch's restricted
    unpickler runs unchanged on the result."""

    def __init__(self, file, **kwargs):
        data = file.read()
        out, floats = bytearray(), {}
        ops = list(pickletools.genops(data))
        for i, (op, arg, pos) in enumerate(ops):
            end = ops[i + 1][2] if i + 1 < len(ops) else len(data)
            if op.name == 'BINFLOAT':
                slot = 0x7FFFFFFF - len(floats)
                floats[slot] = arg
                out += b'j' + slot.to_bytes(4, 'little')
            else:
                out += data[pos:end]
        super().__init__(io.BytesIO(bytes(out)), encoding=kwargs.get('encoding', 'bytes'))
        self.memo.update(floats)
