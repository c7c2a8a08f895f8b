// A catch-up helper thread (see catchup.ts). For each job it takes pieces in turn, reads each one, posts its
// candidate lines on its port and marks the piece posted; it stops when no piece is left. `npm run generate` bundles
// this file into catchup-worker-code.ts, which the main process starts as an eval'd worker.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads'
import type { LineFilter } from './lines.js'
import { EMITTED, filterOf, HELPER, OPEN, POSTED, runPiece, STATE, take, type Job, type PieceMessage } from './read.js'

const port = (workerData as { port: MessagePort }).port
const filters = new Map<string, LineFilter>()
const sleeper = new Int32Array(new SharedArrayBuffer(4))

parentPort!.on('message', (job: Job) => {
  const s = new Int32Array(job.sab)
  const key = JSON.stringify(job.filter)
  const filter = filters.get(key) ?? filters.set(key, filterOf(job.filter)).get(key)!
  for (;;) {
    const j = take(s, job)
    if (j === -1) return
    if (j === -2) {
      // Too far ahead of what the main thread has emitted: wait for it to move on.
      Atomics.wait(s, EMITTED, Atomics.load(s, EMITTED), 50)
      continue
    }
    if (Atomics.compareExchange(s, STATE + j, OPEN, HELPER) !== OPEN) continue // the main thread took it back
    if (job.stallMs) Atomics.wait(sleeper, 0, 0, job.stallMs)
    let message: PieceMessage
    try {
      message = { id: job.id, piece: j, ...runPiece(job, j, filter) }
    } catch (error) {
      message = { id: job.id, piece: j, error: error instanceof Error ? error.message : String(error) }
    }
    port.postMessage(message)
    if (Atomics.compareExchange(s, STATE + j, HELPER, POSTED) === HELPER) Atomics.notify(s, STATE + j)
  }
})
