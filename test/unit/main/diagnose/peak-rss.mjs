// Preloaded (`node --import`) into the diagnose command by hostile-files.test.ts: prints the process's peak RSS on
// stderr as it exits, so the test can bound the memory of the real command.
import { writeSync } from 'node:fs'

process.on('exit', () => writeSync(2, `peak-rss-mb ${Math.round(process.resourceUsage().maxRSS / 1024)}\n`))
