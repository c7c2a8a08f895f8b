// A throwaway certificate authority for tests, made with the openssl command line (`openssl ca`, so that leaves can
// have any validity dates and be revoked into a CRL): a server certificate for 127.0.0.1 and client certificates the
// way Intune's SCEP/PKCS profiles and Jamf's issue them (the user's UPN as an otherName SAN, or an e-mail SAN).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Why tests that need openssl cannot run here; undefined when they can. */
export function opensslUnavailable(): string | undefined {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' })
    return undefined
  } catch {
    return 'the openssl command is not installed (apt install openssl / brew install openssl)'
  }
}

export interface Leaf {
  cert: string
  key: string
  certFile: string
  keyFile: string
}

export interface TestCa {
  name: string
  cert: string
  certFile: string
  /** A client or server certificate signed by this CA. */
  issue(name: string, o: { cn: string; upn?: string; email?: string; server?: boolean; start?: string; end?: string }): Leaf
  /** Revokes a certificate this CA issued and writes a fresh CRL; returns its file. */
  revoke(leaf: Leaf): string
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: 'pipe' })

export function makeTestCa(name: string): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'unloop-ca-'))
  mkdirSync(join(dir, 'issued'))
  writeFileSync(join(dir, 'index.txt'), '')
  writeFileSync(join(dir, 'serial'), '1000\n')
  writeFileSync(join(dir, 'crlnumber'), '1000\n')
  writeFileSync(join(dir, 'ca.cnf'), [
    // Forward slashes: a backslash escapes the next character in OpenSSL's config syntax (C:\Users\… on Windows).
    '[ca]', 'default_ca = test', '[test]', `dir = ${dir.replace(/\\/g, '/')}`, 'database = $dir/index.txt', 'serial = $dir/serial',
    'crlnumber = $dir/crlnumber', 'new_certs_dir = $dir/issued', 'certificate = $dir/ca.pem', 'private_key = $dir/ca.key',
    'default_md = sha256', 'default_days = 30', 'default_crl_days = 30', 'policy = any', 'unique_subject = no', 'copy_extensions = none',
    '[any]', 'commonName = supplied',
  ].join('\n'))
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', `/CN=${name}`, '-days', '30',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir)
  const certFile = join(dir, 'ca.pem')
  const read = (f: string) => readFileSync(f, 'utf8')
  return {
    name,
    cert: read(certFile),
    certFile,
    issue(leafName, o) {
      const san = [
        ...(o.server ? ['IP:127.0.0.1', 'DNS:localhost'] : []),
        ...(o.upn ? [`otherName:1.3.6.1.4.1.311.20.2.3;UTF8:${o.upn}`] : []),
        ...(o.email ? [`email:${o.email}`] : []),
      ]
      writeFileSync(join(dir, `${leafName}.ext`), [
        '[v3]', 'basicConstraints = CA:FALSE', 'keyUsage = critical,digitalSignature',
        `extendedKeyUsage = ${o.server ? 'serverAuth' : 'clientAuth'}`, ...(san.length ? [`subjectAltName = ${san.join(',')}`] : []),
      ].join('\n'))
      openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${leafName}.key`, '-out', `${leafName}.csr`, '-subj', `/CN=${o.cn}`], dir)
      openssl(['ca', '-batch', '-config', 'ca.cnf', '-in', `${leafName}.csr`, '-out', `${leafName}.pem`, '-notext', '-extfile', `${leafName}.ext`, '-extensions', 'v3',
        ...(o.start ? ['-startdate', o.start] : []), ...(o.end ? ['-enddate', o.end] : [])], dir)
      const leaf = { certFile: join(dir, `${leafName}.pem`), keyFile: join(dir, `${leafName}.key`) }
      return { ...leaf, cert: read(leaf.certFile), key: read(leaf.keyFile) }
    },
    revoke(leaf) {
      openssl(['ca', '-batch', '-config', 'ca.cnf', '-revoke', leaf.certFile], dir)
      openssl(['ca', '-batch', '-config', 'ca.cnf', '-gencrl', '-out', 'crl.pem'], dir)
      return join(dir, 'crl.pem')
    },
  }
}
