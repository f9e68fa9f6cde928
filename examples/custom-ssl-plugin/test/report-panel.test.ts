import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { createSslMethod, Rng, setBackend } from '@openmind-ssl/core';
import { syntheticBatches } from '@openmind-ssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { RotationPrediction, rotationFactory } from '../src/index.js';

const backend = new OnnxRuntimeBackend();
await backend.init();
const engine = setBackend(backend);
afterAll(() => backend.close());

describe('RotationPrediction.reportPanels', () => {
  it('should count every sample once per turn in a 4×4 confusion matrix, leaving no tensor behind', async () => {
    const method = createSslMethod(rotationFactory, {
      architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: [16, 16, 16], rng: new Rng(0),
    });
    expect(method).toBeInstanceOf(RotationPrediction);
    const batch = (await syntheticBatches(0, 3, [16, 16, 16]).batches(0).next()).value!;
    const live = engine.liveTensors;
    const [panel, ...rest] = await (method as RotationPrediction).reportPanels(batch);
    expect(rest).toEqual([]);
    expect(panel).toMatchObject({ type: 'matrix', title: 'Rotation confusion matrix', rowLabels: ['0°', '90°', '180°', '270°'] });
    const values = panel!.type === 'matrix' ? panel!.values : [];
    expect(values.map((row) => row.length)).toEqual([4, 4, 4, 4]);
    expect(values.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([3, 3, 3, 3]);
    expect(engine.liveTensors).toBe(live);
  });
});
