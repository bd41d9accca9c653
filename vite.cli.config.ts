import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json';

/** Bundles the `org2fa` CLI for plain Node 20; packages stay external and load from node_modules. */
export default defineConfig({
  build: {
    ssr: 'src/main/cli/entry.ts',
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      external: [
        ...builtinModules,
        ...builtinModules.map((m) => `node:${m}`),
        ...Object.keys(pkg.dependencies),
        'electron',
      ],
      output: { format: 'cjs', entryFileNames: 'org2fa.js' },
    },
  },
});
