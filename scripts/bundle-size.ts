// A Vite plugin that prints the renderer bundle's size, raw and gzip, after every build (issue #3's figure).
import { gzipSync } from 'node:zlib'
import type { Plugin } from 'vite'

/** Prints one line per file and a total, e.g. `renderer bundle: 212.4 kB, gzip 68.9 kB`. */
export function bundleSize(label: string): Plugin {
  return {
    name: 'unloop-bundle-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      let raw = 0
      let gz = 0
      const rows: string[] = []
      for (const file of Object.values(bundle)) {
        const bytes = Buffer.from(file.type === 'chunk' ? file.code : typeof file.source === 'string' ? file.source : file.source)
        if (/\.(html|map)$/.test(file.fileName)) continue
        const g = gzipSync(bytes, { level: 9 }).length
        raw += bytes.length
        gz += g
        rows.push(`  ${file.fileName}: ${kb(bytes.length)}, gzip ${kb(g)}`)
      }
      console.log(`\n${label} bundle: ${kb(raw)}, gzip ${kb(gz)}\n${rows.join('\n')}`)
    },
  }
}

const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`
