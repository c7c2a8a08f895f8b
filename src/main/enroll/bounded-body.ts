// Reads a WHATWG Response body (Node's fetch, Electron's net.fetch) up to a byte cap, never more, and stops reading
// the moment the cap is passed: the reply's size cannot cost the client more than the cap (issue #17, F3).

/** Why a body was not read: it is (or says it is) bigger than the cap. */
export class BodyOverCap extends Error {
  constructor(
    readonly cap: number,
    /** True when the reply's Content-Length said so, before any byte was read. */
    readonly declared: boolean,
  ) {
    super(declared ? `Content-Length is over ${cap} bytes` : `over ${cap} bytes`)
  }
}

/** A body being read: `text` settles with the body, `stop` cancels the read (and with it the connection) at once. */
export interface BodyRead {
  text: Promise<string>
  stop: () => void
}

/**
 * Starts reading `res`'s body as UTF-8 (as `Response.text()` decodes it), refusing it with BodyOverCap when its
 * Content-Length or the bytes actually received pass `cap`. A refused or stopped body is cancelled, which closes the
 * underlying request, so the tenant cannot keep sending.
 */
export function readBodyUpTo(res: Response, cap: number): BodyRead {
  const declared = Number(res.headers.get('content-length') ?? '')
  const body = res.body
  if (!body) return { text: Promise.resolve(''), stop: () => undefined }
  if (Number.isFinite(declared) && declared > cap) {
    void body.cancel().catch(() => undefined)
    return { text: Promise.reject(new BodyOverCap(cap, true)), stop: () => undefined }
  }
  const reader = body.getReader()
  const stop = () => void reader.cancel().catch(() => undefined)
  const text = (async () => {
    const chunks: Uint8Array[] = []
    let size = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > cap) {
        stop()
        throw new BodyOverCap(cap, false)
      }
      chunks.push(value)
    }
    const all = new Uint8Array(size)
    let at = 0
    for (const c of chunks) {
      all.set(c, at)
      at += c.byteLength
    }
    return new TextDecoder().decode(all)
  })()
  return { text, stop }
}
