import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json';

/**
 * Bundles `npm run detections:eval` for plain Node 20, as the bench is bundled: the registry's
 * `import.meta.glob` needs vite to expand it.
 */
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/detections-eval',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: {
        eval: 'scripts/detections-eval/main.ts',
        'detect-worker': 'scripts/detections-eval/detect-worker.ts',
      },
      external: [
        ...builtinModules,
        ...builtinModules.map((m) => `node:${m}`),
        ...Object.keys(pkg.dependencies),
      ],
      output: { format: 'cjs', entryFileNames: '[name].js' },
    },
  },
});
