// Requests Node's HTTP parser refuses (smuggling, bare LF, NUL, huge headers, a request too slow to arrive) are answered
// in TEP's problem shape with a trace id, like every other error, and their connection is closed.
import { randomBytes } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { TepProblem } from './problem.js'

/** Status and plain detail for a parser error code (Node's own mapping: 431, 413, 408, else 400). */
function describe(code: string | undefined): { status: number; detail: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, detail: 'The request headers are too large' }
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return { status: 413, detail: 'The chunk extensions are too large' }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, detail: 'The request took too long to arrive' }
  return { status: 400, detail: 'The request is not valid HTTP/1.1' }
}

/** What a parser error was answered with (for the operations log); null when the connection was only closed. */
export type ClientErrorAnswer = { status: number; traceId: string; code: string } | null

/**
 * The server's `clientError` handler: writes a complete `application/problem+json` answer with `X-Trace-Id` and
 * `Connection: close` when the socket can still be written and no answer was started on it, then destroys the socket
 * once the answer is flushed (ECONNRESET and a socket already gone are only destroyed).
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): ClientErrorAnswer {
  // A response already under way on this socket (Node's own check): nothing more can be written in front of it.
  const started = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true
  if (error.code === 'ECONNRESET' || !socket.writable || started) {
    socket.destroy()
    return null
  }
  const traceId = randomBytes(8).toString('hex')
  const { status, detail } = describe(error.code)
  const body = JSON.stringify(new TepProblem('invalid_request', { status, detail }).body(traceId))
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}`,
    'Content-Type: application/problem+json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    'X-Content-Type-Options: nosniff',
    `X-Trace-Id: ${traceId}`,
    'Connection: close',
  ].join('\r\n')
  // The rest of what the client sends is not read: the socket is destroyed once the answer is flushed (or after a
  // second if the peer does not take it).
  const force = setTimeout(() => socket.destroy(), 1000)
  force.unref()
  socket.end(`${head}\r\n\r\n${body}`, () => {
    clearTimeout(force)
    socket.destroy()
  })
  return { status, traceId, code: error.code ?? 'unknown' }
}
