import { ContainerModule } from 'inversify';
import { createRuntime, createSslMethod, CORE_API_VERSION, parseConfig, Rng, SSLMethodId } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import rotationPlugin, { rotationConfigSchema } from '../src/index.js';

// Deliberately broken copies of this plugin, as an author might publish them by mistake: each must fail
// with the error the plugin system promises.
describe('broken copies of the rotation plugin', () => {
  it('should refuse a copy built for the previous core API (v1: methods parsed their own config)', () => {
    const stale = { ...rotationPlugin, meta: { ...rotationPlugin.meta, coreApi: CORE_API_VERSION - 1 } };
    expect(() => createRuntime({ plugins: [stale] })).toThrow(/plugin 'rotation' was built for core API 1, this @openmind-ssl\/core implements API 2/);
  });

  it('should refuse a second plugin with the same name', () => {
    const twin = { ...rotationPlugin, meta: { ...rotationPlugin.meta, version: '1.0.1' }, module: new ContainerModule(() => undefined) };
    expect(() => createRuntime({ plugins: [rotationPlugin, twin] })).toThrow(/two plugins are named 'rotation' \(versions 1\.0\.0 and 1\.0\.1\)/);
  });

  it('should refuse a renamed copy that provides the same method', () => {
    const fork = { ...rotationPlugin, meta: { ...rotationPlugin.meta, name: 'rotation-fork' } };
    expect(() => createRuntime({ plugins: [rotationPlugin, fork] })).toThrow(/plugins 'rotation' and 'rotation-fork' both provide the SSL method 'rotation'/);
  });

  it('should name the field of a bad config', () => {
    const rt = createRuntime({ plugins: [rotationPlugin] });
    expect(() =>
      createSslMethod(rt.resolve(SSLMethodId, 'rotation'), {
        config: { lr: 'fast' }, architecture: undefined as never, preset: '', inChannels: 1, patchSize: [16, 16, 16], rng: new Rng(0),
      }),
    ).toThrow(/SSL method 'rotation': invalid config — 'lr': /);
    expect(() => parseConfig('rotation', rotationConfigSchema, { gradClip: -1 })).toThrow(/'gradClip'/);
  });
});
