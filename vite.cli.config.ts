import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json';

/** Bundles the `org2fa` CLI for plain Node 20; packages stay external and load from node_modules. */
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: {
        org2fa: 'src/main/cli/entry.ts',
        // Beside org2fa.js, where app.ts looks for it.
        'analytics-worker': 'src/main/detections/worker.ts',
        'jobs-worker': 'src/main/jobs/jobs-worker.ts',
        'export-worker': 'src/main/audit/export-worker.ts',
      },
      external: [
        ...builtinModules,
        ...builtinModules.map((m) => `node:${m}`),
        ...Object.keys(pkg.dependencies),
        'electron',
      ],
      output: { format: 'cjs', entryFileNames: '[name].js' },
    },
  },
});
