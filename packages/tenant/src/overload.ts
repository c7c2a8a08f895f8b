// Which failures mean "the store is overloaded or out of reach" (answered 503 with Retry-After, so that clients back
// off and retry), as opposed to a fault in this server (500).

/** Seconds a client is told to wait when the store cannot take the request now. */
export const overloadRetryAfterSeconds = 2

// PostgreSQL SQLSTATEs (Appendix A of its manual): too_many_connections, insufficient_resources, cannot_connect_now,
// admin_shutdown, crash_shutdown, and the connection exceptions of class 08.
const pgCodes = new Set(['53300', '53000', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006'])
// Node's socket errors for a database that is not there (any more).
const netCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH'])

/**
 * True when `error` says the store could not take the work now: pg-pool's wait for a free connection ran out
 * (`connectionTimeoutMillis`; pg-pool 3 rejects with "timeout exceeded when trying to connect"), PostgreSQL refused or
 * lost the connection, or SQLite stayed locked past its busy timeout (SQLITE_BUSY).
 */
export function isStoreOverloaded(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = 'code' in error ? String(error.code) : ''
  if (pgCodes.has(code) || netCodes.has(code) || code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_TIMEOUT') return true
  return /^timeout exceeded when trying to connect$|^Connection terminated/.test(error.message)
}
