// electron-vite: main (ESM), preload (a single CommonJS file for the sandbox), renderer (React).
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'
import { bundleSize } from './scripts/bundle-size.js'

export default defineConfig({
  main: {
    build: { outDir: 'out/main', rollupOptions: { input: { index: resolve('src/main/index.ts') } } },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve('src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react(), bundleSize('renderer')],
    build: { outDir: 'out/renderer', minify: true, rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
  },
})
