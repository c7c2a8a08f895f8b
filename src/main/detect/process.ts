// The real RunCommand and SpawnLines over node:child_process (tests use recorded output instead).
import { execFile, spawn } from 'node:child_process'
import { LineSplitter } from './lines.js'
import type { SpawnLines } from './streams.js'
import type { RunCommand } from './windows-events.js'

/**
 * Runs a command with a timeout and a 32 MiB output cap; rejects with its stderr, and with `exitCode` when the
 * command ran and exited non-zero (so callers decide by the code, not by text in the OS's language).
 */
export const runCommand: RunCommand = (command, args) =>
  new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 30_000, maxBuffer: 32 * 1024 * 1024, windowsHide: true, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(new Error(stderr || error.message), typeof error.code === 'number' ? { exitCode: error.code } : {}))
      else resolve(stdout)
    })
  })

/**
 * Spawns a long-running command and reports its stdout line by line: non-empty lines, each cut to 64 KiB (a command
 * printing a line without end costs no more than that).
 */
export const spawnLines: SpawnLines = (command, args, onLine, onExit) => {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString()
  })
  const splitter = new LineSplitter('utf8')
  child.stdout.on('data', (d: Buffer) => splitter.push(d, (text) => onLine(text)))
  child.stdout.on('end', () => {
    const rest = splitter.rest()
    if (rest) onLine(rest)
  })
  let exited = false
  const done = (code: number | null) => {
    if (exited) return
    exited = true
    onExit(code, stderr)
  }
  child.on('error', (e) => {
    stderr ||= e.message
    done(null)
  })
  child.on('exit', (code) => done(code))
  return () => {
    exited = true
    child.kill()
  }
}
