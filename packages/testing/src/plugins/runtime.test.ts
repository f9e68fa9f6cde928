import { ContainerModule } from 'inversify';
import {
  ArchitectureId, type ArchitectureFactory, BackendId, type BackendProvider, CORE_API_VERSION, createRuntime, createSslMethod,
  definePlugin, loadPlugin, parseConfig, Rng, SSLMethodId, type SSLMethodFactory, TaskId,
} from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../reference/reference-backend.js';
import { ToyDenoisingMethod } from '../training/toy-method.js';
import toyPlugin, { toyConfigSchema, toyFactory } from './toy-plugin.js';

const build = { architecture: undefined as never, preset: '', inChannels: 1, patchSize: [8, 8, 8] as const, rng: new Rng(0) };

/** An architecture family that builds nothing: these tests only look its presets up. */
const family = (name: string, presets: string[]): ArchitectureFactory => ({
  name, presets, create: () => { throw new Error('not built in these tests'); },
});

/** One package that publishes two methods, two architecture families and a backend. */
const bundle = definePlugin({
  meta: { name: 'bundle', version: '0.1.0', coreApi: CORE_API_VERSION },
  module: new ContainerModule(({ bind }) => {
    bind(SSLMethodId).toConstantValue({ ...toyFactory, id: 'toy-a' }).whenNamed('toy-a');
    bind(SSLMethodId).toConstantValue({ ...toyFactory, id: 'toy-b' }).whenNamed('toy-b');
    bind(ArchitectureId).toConstantValue(family('cube', ['cube-s', 'cube-l'])).whenNamed('cube');
    bind(ArchitectureId).toConstantValue(family('sphere', ['sphere-tiny'])).whenNamed('sphere');
    const provider: BackendProvider = { name: 'ref', priority: 0, create: async () => new ReferenceBackend() };
    bind(BackendId).toConstantValue(provider).whenNamed('ref');
  }),
});

describe('createRuntime', () => {
  it('should load a plugin through its container module and resolve its method by name', () => {
    const rt = createRuntime({ backend: new ReferenceBackend(), plugins: [toyPlugin] });
    const method = createSslMethod(rt.resolve(SSLMethodId, 'toy-denoise'), { ...build, config: { lr: 0.1 } });
    expect(method.id).toBe('toy-denoise');
    expect(rt.names(SSLMethodId)).toEqual(['toy-denoise']);
  });

  it('should list every named binding of a package that publishes several services', () => {
    const rt = createRuntime({ plugins: [toyPlugin, bundle] });
    expect(rt.bindings.map((b) => [b.plugin, b.name])).toEqual([
      ['toy-denoise', 'toy-denoise'], ['bundle', 'toy-a'], ['bundle', 'toy-b'], ['bundle', 'cube'], ['bundle', 'sphere'], ['bundle', 'ref'],
    ]);
    expect(rt.names(SSLMethodId)).toEqual(['toy-denoise', 'toy-a', 'toy-b']);
    expect(rt.names(ArchitectureId)).toEqual(['cube', 'sphere']);
    expect(rt.names(BackendId)).toEqual(['ref']);
    expect(rt.names(TaskId)).toEqual([]);
    expect(rt.resolve(SSLMethodId, 'toy-b').id).toBe('toy-b');
  });

  it('should name the unknown method, the ones available and the closest match', () => {
    const rt = createRuntime({ plugins: [toyPlugin, bundle] });
    expect(() => rt.resolve(SSLMethodId, 'toy-denoize')).toThrow(
      /unknown SSL method 'toy-denoize'; available: toy-denoise, toy-a, toy-b\. Did you mean 'toy-denoise'\?/,
    );
    expect(() => rt.resolve(TaskId, 'segmentation')).toThrow(/unknown task 'segmentation'; available: \(none loaded\)/);
  });

  it('should refuse two plugins with the same name', () => {
    const twin = { ...toyPlugin, meta: { ...toyPlugin.meta, version: '2.0.0' }, module: new ContainerModule(() => undefined) };
    expect(() => createRuntime({ plugins: [toyPlugin, twin] })).toThrow(/two plugins are named 'toy-denoise' \(versions 1\.0\.0 and 2\.0\.0\)/);
  });

  it('should refuse two plugins that provide the same method name', () => {
    const rival = { ...toyPlugin, meta: { ...toyPlugin.meta, name: 'rival' } };
    expect(() => createRuntime({ plugins: [toyPlugin, rival] })).toThrow(/plugins 'toy-denoise' and 'rival' both provide the SSL method 'toy-denoise'/);
  });

  it('should refuse a plugin built for another core API major version', () => {
    const old = { ...toyPlugin, meta: { ...toyPlugin.meta, coreApi: 1 } };
    expect(() => createRuntime({ plugins: [old] })).toThrow(/plugin 'toy-denoise' was built for core API 1, this @openmind-ssl\/core implements API 2/);
  });

  it('should refuse something that is not a plugin', () => {
    expect(() => createRuntime({ plugins: [{ name: 'x' }] })).toThrow(/not an OpenMind plugin/);
  });
});

describe('Runtime.architectureOf', () => {
  const rt = createRuntime({ plugins: [bundle] });

  it("should find the family whose factory lists the preset, whatever the preset's name", () => {
    expect(rt.architectureOf('cube-l').family).toBe('cube');
    expect(rt.architectureOf('sphere-tiny').factory.name).toBe('sphere');
  });

  it('should list every preset with its family and suggest the closest for an unknown one', () => {
    expect(() => rt.architectureOf('cube-m')).toThrow(
      /unknown architecture preset 'cube-m'; presets: cube-s \(cube\), cube-l \(cube\), sphere-tiny \(sphere\)\. Did you mean 'cube-s'\?/,
    );
  });

  it('should name both families when two offer the same preset', () => {
    const other = definePlugin({
      meta: { name: 'other', version: '1.0.0', coreApi: CORE_API_VERSION },
      module: new ContainerModule(({ bind }) => { bind(ArchitectureId).toConstantValue(family('box', ['cube-s'])).whenNamed('box'); }),
    });
    expect(() => createRuntime({ plugins: [bundle, other] }).architectureOf('cube-s')).toThrow(/preset 'cube-s' is offered by 'cube' and 'box'/);
  });
});

describe('createSslMethod', () => {
  it("should hand create the config validated with the factory's schema, defaults filled", () => {
    let seen: unknown;
    const spy: SSLMethodFactory<unknown> = { ...toyFactory, create: (ctx) => { seen = ctx.config; return new ToyDenoisingMethod(); } };
    createSslMethod(spy, { ...build, config: { lr: 0.2 } });
    expect(seen).toEqual({ lr: 0.2, seed: 0 });
  });

  it('should name the method and the field of a bad config, and not call create', () => {
    const spy: SSLMethodFactory<unknown> = { ...toyFactory, create: () => { throw new Error('create must not run'); } };
    expect(() => createSslMethod(spy, { ...build, config: { lr: 'fast' } })).toThrow(/SSL method 'toy-denoise': invalid config — 'lr': /);
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
