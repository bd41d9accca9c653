import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json';

/** Bundles `npm run bench` for plain Node 20; it drives the built CLI (out/cli) as a user would. */
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/bench',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: { bench: 'bench/main.ts' },
      external: [
        ...builtinModules,
        ...builtinModules.map((m) => `node:${m}`),
        ...Object.keys(pkg.dependencies),
      ],
      output: { format: 'cjs', entryFileNames: '[name].js' },
    },
  },
});
