import type { DeviceHealth } from './device-health.js';
import type { BindingAccess } from './program.js';

/** A compiled kernel with the layout its bind groups are made against. */
export interface CompiledKernel {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

/**
 * Compiles WGSL once per distinct source (shapes are baked into the source, so one entry per kernel and
 * shape). Compilation problems are reported through `getCompilationInfo` (with the offending line) and an
 * error scope, and surface as an error on the next read instead of a silently wrong result.
 */
export class PipelineCache {
  private readonly cache = new Map<string, CompiledKernel>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();

  constructor(private readonly device: GPUDevice, private readonly health: DeviceHealth) {}

  get size(): number {
    return this.cache.size;
  }

  /**
   * @param name kernel name, for error messages
   * @param code complete WGSL source with entry point `main`
   * @param access access of each binding in binding order
   */
  get(name: string, code: string, access: readonly BindingAccess[]): CompiledKernel {
    const hit = this.cache.get(code);
    if (hit) return hit;
    const layout = this.layout(access);
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ code, label: name });
    const pipeline = this.device.createComputePipeline({
      label: name,
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main' },
    });
    const scope = this.device.popErrorScope();
    void Promise.all([module.getCompilationInfo(), scope]).then(([info, error]) => {
      const lines = code.split('\n');
      const messages = info.messages.filter((m) => m.type === 'error').map(
        (m) => `line ${m.lineNum}:${m.linePos} ${m.message} | ${(lines[m.lineNum - 1] ?? '').trim()}`,
      );
      if (messages.length) this.health.record(`WGSL compilation of kernel "${name}" failed`, messages.join('; '));
      else if (error) this.health.record(`creating the pipeline of kernel "${name}" failed`, error.message);
    }, (err: unknown) => this.health.record(`compiling kernel "${name}"`, String(err)));
    const kernel = { pipeline, layout };
    this.cache.set(code, kernel);
    return kernel;
  }

  private layout(access: readonly BindingAccess[]): GPUBindGroupLayout {
    const key = access.join(',');
    let layout = this.layouts.get(key);
    if (!layout) {
      layout = this.device.createBindGroupLayout({
        entries: access.map((a, binding) => ({
          binding,
          visibility: 0x4, // GPUShaderStage.COMPUTE
          buffer: { type: a === 'read' ? 'read-only-storage' as const : a === 'write' ? 'storage' as const : 'uniform' as const },
        })),
      });
      this.layouts.set(key, layout);
    }
    return layout;
  }
}
