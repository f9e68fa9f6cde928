import { describeBackendConformance } from '@openmind-ssl/testing';
import { createTfjsBackend } from './tfjs-backend.js';

describeBackendConformance({ name: 'tfjs', create: async () => createTfjsBackend() });

// The kernel paths tfjs-node and tfjs-node-gpu take (explicit padding, zero-spread dilation), run on
// the CPU backend, since the native packages cannot be installed on every machine.
describeBackendConformance({
  name: 'tfjs (portable kernels)',
  create: async () => createTfjsBackend({ portableKernels: true }),
  skip: {
    'training/loss-falls': 'a second 30-step run adds time, not coverage: the portable paths are checked kernel by kernel above',
    'training/memory-flat': 'tidy frees the portable paths\' pad/crop temporaries as it does the first run\'s; checked per kernel by memory/baseline-after-dispose',
  },
});
