// The container's HEALTHCHECK (packages/tenant/deploy/Dockerfile): GET /healthz on the server in this container, over
// https when TEP_TLS_CERT is set (the server refuses plain http off loopback), else http. Exit 0 when it answers 200
// within four seconds, 1 otherwise. The certificate is not checked: it names the public host, and this only asks
// whether the process next door is alive. Reads the same TEP_* variables as the server; prints one line on failure.
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import process from 'node:process'

const env = process.env
const port = Number(env.TEP_PORT || 8787)
const bound = (env.TEP_HOST || '127.0.0.1').trim()
// A wildcard address is reached on loopback; a specific one (an interface's address) is asked there.
const host = bound === '0.0.0.0' || bound === '::' || bound === '[::]' ? '127.0.0.1' : bound.replace(/^\[|\]$/g, '')
const tls = Boolean(env.TEP_TLS_CERT && env.TEP_TLS_CERT.trim())
const request = tls ? httpsRequest : httpRequest

const fail = (why) => {
  process.stderr.write(`healthcheck: ${why}\n`)
  process.exit(1)
}

const req = request({ host, port, path: '/healthz', method: 'GET', timeout: 4000, ...(tls ? { rejectUnauthorized: false } : {}) }, (res) => {
  res.resume()
  if (res.statusCode === 200) process.exit(0)
  fail(`${tls ? 'https' : 'http'}://${host}:${port}/healthz answered ${res.statusCode}`)
})
req.on('timeout', () => req.destroy(new Error('no answer within 4 s')))
req.on('error', (error) => fail(`${tls ? 'https' : 'http'}://${host}:${port}/healthz: ${error.message}`))
req.end()
