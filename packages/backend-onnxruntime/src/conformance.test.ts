import { describeBackendConformance } from '@openmind-ssl/testing';
import { OnnxRuntimeBackend } from './onnxruntime-backend.js';

describeBackendConformance({ name: 'onnxruntime', create: async () => new OnnxRuntimeBackend({ intraOpThreads: 1 }) });
