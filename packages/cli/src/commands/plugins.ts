import { ArchitectureId, BackendId, type NamedBinding, type Runtime, tokenLabel } from '@openmind-ssl/core';
import type { Command } from '../args.js';
import { loadPlugins, runtimeOf } from '../plugins.js';

/** What `openmind plugins` says about one binding beyond its name: an architecture's presets, a backend's priority. */
function detail(rt: Runtime, b: NamedBinding): string {
  if (b.token === ArchitectureId) return ` (presets: ${rt.resolve(ArchitectureId, b.name).presets.join(', ')})`;
  if (b.token === BackendId) return ` (priority ${rt.resolve(BackendId, b.name).priority})`;
  return '';
}

export const pluginsCommand: Command = {
  name: 'plugins',
  summary: 'List the loaded plugins and everything they provide: SSL methods, architectures and their presets, backends, tasks.',
  usage: 'plugins [--plugin <package>]',
  description: [
    'Every name listed is what the matching option takes: --method <SSL method>, --arch <preset>,',
    '--backend <backend>. A plugin package may provide several of them.',
  ].join('\n'),
  options: {
    plugin: { type: 'string', multiple: true, help: 'also load this plugin package', value: '<package>' },
  },
  async run(values) {
    const loaded = await loadPlugins((values.plugin as string[] | undefined) ?? []);
    const rt = runtimeOf(loaded);
    const width = Math.max(0, ...rt.bindings.map((b) => tokenLabel(b.token).length)) + 2;
    console.log('loaded:');
    for (const p of rt.plugins.values()) {
      console.log(`  ${p.meta.name} ${p.meta.version}`);
      const own = rt.bindings.filter((b) => b.plugin === p.meta.name);
      for (const b of own) console.log(`    ${tokenLabel(b.token).padEnd(width)}${b.name}${detail(rt, b)}`);
      if (!own.length) console.log('    (binds nothing by name)');
    }
    if (loaded.missing.length) {
      console.log('not installed:');
      for (const m of loaded.missing) console.log(`  ${m.name}  ${m.reason}`);
    }
    return 0;
  },
};
