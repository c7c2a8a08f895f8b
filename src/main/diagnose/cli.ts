// `npm run diagnose -- [--json] [--all] [FILE...]`: see diagnose.ts.
import { runCommand } from '../detect/process.js'
import { runDiagnoseOnConsole } from './line-writer.js'

process.exitCode = await runDiagnoseOnConsole(process.argv.slice(2), runCommand)
