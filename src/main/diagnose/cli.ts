// `npm run diagnose -- [--json] [--all] [FILE...]`: see diagnose.ts.
import { homedir } from 'node:os'
import { runCommand } from '../detect/process.js'
import { runDiagnose } from './diagnose.js'

process.exitCode = await runDiagnose(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  platform: process.platform,
  env: process.env,
  home: homedir(),
  run: runCommand,
})
