// vitest for test/os: the readers against the real Windows or macOS, run by the CI workflow's package jobs with
// UNLOOP_OS_TESTS=1 (they write HKLM or read what the job wrote to /Library/Managed Preferences). Not in `npm test`.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/os/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
