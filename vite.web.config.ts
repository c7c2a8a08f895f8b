// Builds the renderer for the web shell (dist-web/); never packaged into the app.
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { bundleSize } from './scripts/bundle-size.js'

export default defineConfig({
  root: 'src/web-shell',
  base: './',
  plugins: [react(), bundleSize('web-shell renderer')],
  build: { outDir: '../../dist-web', emptyOutDir: true, target: 'es2022', reportCompressedSize: true },
})
