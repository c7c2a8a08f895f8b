// `npm run policy:templates`: writes the generated policy templates and the settings docs (see templates.ts).
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { policyTemplates } from './templates.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
for (const [path, text] of Object.entries(policyTemplates())) {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), text)
  console.log(`wrote ${path}`)
}
