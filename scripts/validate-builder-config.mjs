// Validates electron-builder.yml against electron-builder's own schema (no build, no downloads).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const yaml = require('js-yaml')
const { validateConfiguration } = require('app-builder-lib/out/util/config/config')
const { DebugLogger } = require('builder-util')
const config = yaml.load(readFileSync('electron-builder.yml', 'utf8'))
if (config.appId !== 'dev.unloop.app') throw new Error('appId must be dev.unloop.app (src/shared/identity.ts)')
await validateConfiguration(config, new DebugLogger(false))
console.log('electron-builder.yml: valid')
