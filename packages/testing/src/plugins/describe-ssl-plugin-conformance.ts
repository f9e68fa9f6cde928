import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ArchitectureId, type Backend, type BatchSource, createRuntime, createSslMethod, type OpenMindPlugin, readCheckpoint, restoreCheckpoint, Rng,
  saveCheckpoint, setBackend, type SSLMethod, SSLMethodId, Trainer, validatePlugin,
} from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../reference/reference-backend.js';
import { syntheticBatches } from './synthetic-batches.js';

export interface SslPluginConformanceOptions {
  /** The SSL method plugin under test (its package's default export). */
  plugin: unknown;
  /** Plugins it needs besides itself (e.g. the architecture plugin). */
  plugins?: unknown[];
  /** The method under test, for a plugin that binds several (default: the one SSL method it binds). */
  method?: string;
  /** Architecture family and preset to build on (default: none, for methods with a built-in network). */
  architecture?: string;
  preset?: string;
  /** Network patch of the synthetic runs (default 16³) and batch size (default 2). */
  patchSize?: readonly [number, number, number];
  batchSize?: number;
  /** Method config used for the runs (e.g. a smaller mask block for the small patch). */
  config?: Record<string, unknown>;
  /** Makes the (uninitialised) backend of the runs (default: the float64 reference backend). */
  createBackend?: () => Promise<Backend>;
  /** Steps of the learning run (default 20) and the factor by which the loss must fall (default 0.9). */
  steps?: number;
  lossFactor?: number;
  /**
   * The training batches of a run (default: {@link syntheticBatches}, image only). A method with views or
   * targets builds them here from its own `dataPipeline()` (e.g. with the data package's loader); batch `s`
   * must depend only on (seed, s). `close`, when given, runs after the run.
   */
  batches?: (seed: number, batchSize: number, patch: readonly [number, number, number], method: SSLMethod) => ConformanceBatches;
}

/** What the `batches` option returns: a batch source, and optionally how to release what it opened. */
export type ConformanceBatches = BatchSource & { close?(): Promise<void> };

/**
 * The checks every SSL method plugin must pass — ours and third parties': valid metadata; binds the method
 * and resolves it by name in a fresh container; the host's config validation (createSslMethod) throws
 * naming the field of a bad config; `steps` steps on synthetic batches (or the `batches` option's) give
 * finite losses whose last-five mean is below `lossFactor` × the first-five mean; the same seed gives the
 * same losses; the state dict round-trips through a checkpoint.
 */
export function describeSslPluginConformance(o: SslPluginConformanceOptions): void {
  const plugin = validatePlugin(o.plugin) as OpenMindPlugin;
  const own = createRuntime({ plugins: [plugin] }).bindings.filter((b) => b.token === SSLMethodId).map((b) => b.name);
  const name = o.method ?? own[0] ?? plugin.meta.name;
  const patch = o.patchSize ?? [16, 16, 16];
  const batchSize = o.batchSize ?? 2;
  const steps = o.steps ?? 20;

  const build = async (seed: number): Promise<{ method: SSLMethod; backend: Backend }> => {
    const backend = o.createBackend ? await o.createBackend() : new ReferenceBackend();
    await backend.init();
    const rt = createRuntime({ backend, plugins: [plugin, ...(o.plugins ?? [])] });
    setBackend(backend);
    const factory = rt.resolve(SSLMethodId, name);
    const architecture = o.architecture ? rt.resolve(ArchitectureId, o.architecture) : (undefined as never);
    const method = createSslMethod(factory, { config: o.config ?? {}, architecture, preset: o.preset ?? '', inChannels: 1, patchSize: patch, rng: new Rng(seed) });
    return { method, backend };
  };

  const train = async (seed: number, n: number): Promise<number[]> => {
    const { method, backend } = await build(seed);
    const losses: number[] = [];
    const train: ConformanceBatches = o.batches ? o.batches(seed, batchSize, patch, method) : syntheticBatches(seed, batchSize, patch);
    const trainer = new Trainer({
      method, train, epochs: 1, iterationsPerEpoch: n,
      runDir: mkdtempSync(join(tmpdir(), `om-conf-${name}-`)), seed, checkpointEvery: n,
      onEvent: (e) => e.type === 'step' && losses.push(e.loss),
    });
    try {
      await trainer.run();
    } finally {
      await train.close?.();
      await backend.close();
    }
    return losses;
  };

  describe(`SSL plugin conformance: ${name}`, () => {
    it('should have valid metadata (name, version, core API) and bind the SSL method under test', () => {
      expect(plugin.meta.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(own, `plugin '${plugin.meta.name}' binds no SSL method '${name}' under SSLMethodId`).toContain(name);
      if (own.length > 1 && !o.method) throw new Error(`plugin '${plugin.meta.name}' binds several SSL methods (${own.join(', ')}); name one with the 'method' option`);
    });

    it('should load into a fresh container and resolve by its name', () => {
      const rt = createRuntime({ plugins: [plugin, ...(o.plugins ?? [])] });
      expect(rt.resolve(SSLMethodId, name).id).toBe(name);
    });

    it('should reject a config with a wrong type, naming the field', () => {
      const rt = createRuntime({ plugins: [plugin, ...(o.plugins ?? [])] });
      const architecture = o.architecture ? rt.resolve(ArchitectureId, o.architecture) : (undefined as never);
      const factory = rt.resolve(SSLMethodId, name);
      const schema = factory.configSchema(architecture);
      const defaults = schema.parse({}) as Record<string, unknown>;
      const field = Object.keys(defaults)[0];
      expect(field, 'the config schema has no field to test').toBeDefined();
      const wrong = typeof defaults[field!] === 'string' ? 12345 : 'not-a-valid-value';
      expect(() => schema.parse({ [field!]: wrong })).toThrow();
      expect(() => createSslMethod(factory, {
        config: { [field!]: wrong }, architecture, preset: o.preset ?? '', inChannels: 1, patchSize: patch, rng: new Rng(0),
      })).toThrow(new RegExp(`SSL method '${name}': invalid config — '${field}'`));
    });

    it(`should give finite losses that fall over ${steps} training steps`, async () => {
      const losses = await train(1, steps);
      expect(losses.every(Number.isFinite)).toBe(true);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(mean(losses.slice(-5))).toBeLessThan((o.lossFactor ?? 0.9) * mean(losses.slice(0, 5)));
    });

    it('should give the same losses for the same seed', async () => {
      expect(await train(2, 3)).toEqual(await train(2, 3));
    });

    it('should round-trip its state dict through a checkpoint', async () => {
      const { method, backend } = await build(3);
      const dir = join(mkdtempSync(join(tmpdir(), `om-ckpt-${name}-`)), 'step-1');
      await saveCheckpoint(dir, method.network, undefined, { epoch: 0, step: 1, rng: { seed: 3, step: 1 }, config: {}, metrics: {} });
      const copy = (await build(4)).method;
      restoreCheckpoint(await readCheckpoint(dir), copy.network);
      for (const [k, t] of method.network.stateDict()) {
        expect(await copy.network.stateDict().get(k)!.data(), k).toEqual(await t.data());
      }
      await backend.close();
    });
  });
}
