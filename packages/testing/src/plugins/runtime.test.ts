import { ContainerModule } from 'inversify';
import {
  createRuntime, loadPlugin, parseConfig, Rng, SSLMethodId,
} from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../reference/reference-backend.js';
import toyPlugin, { toyConfigSchema } from './toy-plugin.js';

describe('createRuntime', () => {
  it('should load a plugin through its container module and resolve its method by name', () => {
    const rt = createRuntime({ backend: new ReferenceBackend(), plugins: [toyPlugin] });
    const factory = rt.resolve(SSLMethodId, 'toy-denoise');
    const method = factory.create({ config: { lr: 0.1 }, architecture: undefined as never, preset: '', inChannels: 1, patchSize: [8, 8, 8], rng: new Rng(0) });
    expect(method.id).toBe('toy-denoise');
    expect(rt.names(SSLMethodId)).toEqual(['toy-denoise']);
  });

  it('should name the unknown method, the ones available and the closest match', () => {
    const rt = createRuntime({ plugins: [toyPlugin] });
    expect(() => rt.resolve(SSLMethodId, 'toy-denoize')).toThrow(/unknown SSL method 'toy-denoize'; available: toy-denoise\. Did you mean 'toy-denoise'\?/);
  });

  it('should refuse two plugins with the same name', () => {
    const twin = { ...toyPlugin, meta: { ...toyPlugin.meta, version: '2.0.0' }, module: new ContainerModule(() => undefined) };
    expect(() => createRuntime({ plugins: [toyPlugin, twin] })).toThrow(/two plugins are named 'toy-denoise' \(versions 1\.0\.0 and 2\.0\.0\)/);
  });

  it('should refuse a plugin built for another core API major version', () => {
    const old = { ...toyPlugin, meta: { ...toyPlugin.meta, coreApi: 0 } };
    expect(() => createRuntime({ plugins: [old] })).toThrow(/plugin 'toy-denoise' was built for core API 0, this @openmind-ssl\/core implements API 1/);
  });

  it('should refuse something that is not a plugin', () => {
    expect(() => createRuntime({ plugins: [{ name: 'x' }] })).toThrow(/not an OpenMind plugin/);
  });
});

describe('parseConfig', () => {
  it('should fill defaults', () => {
    expect(parseConfig('toy', toyConfigSchema, {})).toEqual({ lr: 0.05, seed: 0 });
  });

  it('should name the plugin and every failing field', () => {
    expect(() => parseConfig("plugin 'toy-denoise'", toyConfigSchema, { lr: -1, seed: 'a' })).toThrow(
      /plugin 'toy-denoise': invalid config — 'lr': .*; 'seed': /,
    );
  });
});

describe('loadPlugin', () => {
  it('should import a plugin by path and validate its default export', async () => {
    const p = await loadPlugin(new URL('./toy-plugin.ts', import.meta.url).href);
    expect(p.meta.name).toBe('toy-denoise');
  });

  it('should say how to install a package that cannot be found', async () => {
    await expect(loadPlugin('openmind-ssl-does-not-exist')).rejects.toThrow(/cannot load plugin 'openmind-ssl-does-not-exist'.*npm install openmind-ssl-does-not-exist/);
  });
});
