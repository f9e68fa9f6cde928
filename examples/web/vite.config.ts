import { defineConfig } from 'vite';

// The page is built from the workspace packages' sources (the "@openmind-ssl/source" export condition), so
// `npm run web` needs no package build first. Workers are ES modules (they import the backends).
export default defineConfig({
  resolve: { conditions: ['@openmind-ssl/source', 'browser', 'module', 'import', 'default'] },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
