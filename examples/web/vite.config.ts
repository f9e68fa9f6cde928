import { defineConfig, type Plugin } from 'vite';

/**
 * Core's index also exports its Node-only parts (checkpoint folders, run locks), so the page's import graph
 * names node:fs and friends although no browser code path calls them. Each such module becomes a stub with
 * the real module's export names, every one a function that throws "not available in a browser": the page
 * loads in dev and build alike, and a call that should never happen says what went wrong.
 */
function nodeBuiltinStubs(): Plugin {
  const prefix = '\0openmind-node-stub:';
  return {
    name: 'openmind-node-builtin-stubs',
    enforce: 'pre',
    resolveId: (id) => (id.startsWith('node:') ? prefix + id : null),
    async load(id) {
      if (!id.startsWith(prefix)) return null;
      const name = id.slice(prefix.length);
      const names = Object.keys((await import(name)) as object).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
      return [
        `const unavailable = () => { throw new Error(${JSON.stringify(`${name} is not available in a browser`)}); };`,
        ...names.map((k) => `export const ${k} = unavailable;`),
        'export default {};',
      ].join('\n');
    },
  };
}

// The page is built from the workspace packages' sources (the "@openmind-ssl/source" export condition), so
// `npm run web` needs no package build first. Workers are ES modules (they import the backends).
export default defineConfig({
  plugins: [nodeBuiltinStubs()],
  resolve: { conditions: ['@openmind-ssl/source', 'browser', 'module', 'import', 'default'] },
  worker: { format: 'es', plugins: () => [nodeBuiltinStubs()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
