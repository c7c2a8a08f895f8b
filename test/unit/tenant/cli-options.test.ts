// Where the tenant's options come from: flags over TEP_* environment over the --config file over defaults; secrets
// only from the environment; a malformed file or value named clearly.
import { describe, expect, it } from 'vitest'
import { environmentOptions, mergeOptions, parseConfigFile } from '../../../packages/tenant/src/cli-options.js'

describe('tenant options', () => {
  it('layers flags over the environment over the file over defaults', () => {
    const file = parseConfigFile(JSON.stringify({ port: 8443, db: 'postgres://tep@db/tep', provider: 'entra-tap-handoff', 'no-number-match': true, 'display-name': 'File' }), 'tenant.json')
    const env = environmentOptions({ TEP_DB: 'postgres://tep@db2/tep', TEP_PROVIDER: 'entra-tap-handoff, local-totp', TEP_UNRELATED: 'x', TEP_HOST: '  ' })
    const merged = mergeOptions({ 'display-name': 'Flag' }, env, file)
    expect(merged).toEqual({
      port: '8443', host: '127.0.0.1', binding: 'device-user', 'drain-seconds': '10', db: 'postgres://tep@db2/tep',
      provider: ['entra-tap-handoff', 'local-totp'], 'no-number-match': true, 'display-name': 'Flag',
    })
    expect(environmentOptions({ TEP_NO_NUMBER_MATCH: 'yes' })).toEqual({ 'no-number-match': true })
    expect(environmentOptions({ TEP_NO_NUMBER_MATCH: '0' })).toEqual({ 'no-number-match': false })
  })

  it('refuses secrets in the file, unknown options, wrong types and non-objects, naming the file and the key', () => {
    expect(() => parseConfigFile('{"graph-client-secret": "s3cret"}', 'tenant.json')).toThrow(/tenant\.json: "graph-client-secret" is a secret; give it in TEP_GRAPH_CLIENT_SECRET/)
    expect(() => parseConfigFile('{"data-key": "AAAA"}', 'tenant.json')).toThrow(/TEP_DATA_KEY/)
    expect(() => parseConfigFile('{"prot": 1}', 'tenant.json')).toThrow(/unknown option "prot"/)
    expect(() => parseConfigFile('{"no-number-match": "yes"}', 'tenant.json')).toThrow(/"no-number-match" must be true or false/)
    expect(() => parseConfigFile('{"provider": [1]}', 'tenant.json')).toThrow(/"provider" must be a string or a list/)
    expect(() => parseConfigFile('{"port": {}}', 'tenant.json')).toThrow(/"port" must be a string or a number/)
    expect(() => parseConfigFile('[1]', 'tenant.json')).toThrow(/expected a JSON object/)
    expect(() => parseConfigFile('{port: 1', 'tenant.json')).toThrow(/tenant\.json: not valid JSON/)
    expect(() => environmentOptions({ TEP_NO_NUMBER_MATCH: 'maybe' })).toThrow(/TEP_NO_NUMBER_MATCH must be true or false/)
    // A database password in the file would sit in a world-readable config: it belongs in TEP_DB.
    expect(() => parseConfigFile('{"db": "postgres://tep:s3cret@db.contoso.internal/tep"}', 'tenant.json')).toThrow(/"db" carries a password; give the database URL in TEP_DB/)
    expect(parseConfigFile('{"db": "postgres://tep@db.contoso.internal/tep?sslmode=verify-full"}', 'tenant.json')).toEqual({ db: 'postgres://tep@db.contoso.internal/tep?sslmode=verify-full' })
  })
})
