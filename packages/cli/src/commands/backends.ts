import { probeBackends } from '@openmind-ssl/core';
import type { Command } from '../args.js';
import { backendProviders, loadPlugins, runtimeOf } from '../plugins.js';

export const backendsCommand: Command = {
  name: 'backends',
  summary: 'List the compute backends, which of them can start on this machine, and why the others cannot.',
  usage: 'backends [--plugin <package>]',
  options: {
    plugin: { type: 'string', multiple: true, help: 'also load this plugin package', value: '<package>' },
  },
  async run(values) {
    const loaded = await loadPlugins((values.plugin as string[] | undefined) ?? []);
    const probe = await probeBackends(backendProviders(runtimeOf(loaded)));
    const env = process.env.OPENMIND_BACKEND;
    console.log('available (highest priority first):');
    for (const b of probe.available) {
      console.log(`  ${b.name.padEnd(12)} priority ${b.priority}${b.automatic ? '' : `, only when named: ${b.namedOnly ?? 'its provider declines automatic use'}`}`);
    }
    if (!probe.available.length) console.log('  (none)');
    const failures = [...probe.failures, ...loaded.missing.filter((m) => m.name.includes('backend-'))];
    if (failures.length) {
      console.log('unavailable:');
      for (const f of failures) console.log(`  ${f.name.padEnd(12)} ${f.reason}`);
    }
    const automatic = probe.available.find((b) => b.automatic);
    console.log(env
      ? `OPENMIND_BACKEND=${env} selects '${env}'.`
      : `Without --backend <name> or OPENMIND_BACKEND, '${automatic?.name ?? '(none)'}' is used.`);
    return 0;
  },
};
