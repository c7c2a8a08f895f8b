// Which client certificate the app hands to Chromium: certificates as Electron reports them from the OS store
// (a user with an Intune SCEP certificate, an old one it renewed, a Wi-Fi certificate from another CA, a not yet
// valid one), and requests to the tenant and elsewhere.
import { describe, expect, it } from 'vitest'
import { certificateRequestOrigin, pickClientCertificate, type StoreCertificate } from '../../../../src/main/app/client-certificate.js'

const now = Date.parse('2026-11-25T09:00:00Z')
const s = (iso: string) => Date.parse(iso) / 1000
const cert = (over: Partial<StoreCertificate>): StoreCertificate => ({
  issuerName: 'Contoso Device CA', subjectName: 'alice@contoso.example', serialNumber: '1000', fingerprint: 'sha256/aaaa',
  validStart: s('2026-10-01T00:00:00Z'), validExpiry: s('2027-10-01T00:00:00Z'), ...over,
})
const current = cert({ serialNumber: '1002', fingerprint: 'sha256/current', validExpiry: s('2027-11-01T00:00:00Z') })
const older = cert({ serialNumber: '1001', fingerprint: 'sha256/older', validStart: s('2025-11-01T00:00:00Z'), validExpiry: s('2026-12-01T00:00:00Z') })
const expired = cert({ serialNumber: '0999', fingerprint: 'sha256/expired', validStart: s('2024-11-01T00:00:00Z'), validExpiry: s('2025-11-01T00:00:00Z') })
const future = cert({ serialNumber: '1003', fingerprint: 'sha256/future', validStart: s('2026-12-01T00:00:00Z'), validExpiry: s('2028-12-01T00:00:00Z') })
const wifi = cert({ issuerName: 'Contoso Wi-Fi CA', fingerprint: 'sha256/wifi', validExpiry: s('2030-01-01T00:00:00Z') })
const store = [wifi, expired, older, current, future]
const tenant = { url: 'https://mfa.contoso.example/', certificateIssuer: 'contoso device ca ' }

describe('pickClientCertificate', () => {
  it('gives the tenant the newest valid certificate from the issuer policy names (case and spaces aside)', () => {
    expect(pickClientCertificate(store, 'https://mfa.contoso.example/v1/enrollments', tenant, now)).toBe(current)
    expect(pickClientCertificate([wifi, older], 'https://mfa.contoso.example/v1/enrollments', tenant, now)).toBe(older)
  })

  it('matches the request as Electron names it: host:port of the TLS connection (net.fetch and page loads alike)', () => {
    // electron_api_app.cc emits cert_request_info->host_and_port.ToString() as the event's `url`.
    expect(pickClientCertificate(store, 'mfa.contoso.example:443', tenant, now)).toBe(current)
    expect(pickClientCertificate(store, 'mfa.contoso.example:8443', tenant, now)).toBeUndefined()
    expect(pickClientCertificate(store, 'evil.example:443', tenant, now)).toBeUndefined()
    expect(pickClientCertificate(store, '[::1]:8443', { url: 'https://[::1]:8443/', certificateIssuer: 'Contoso Device CA' }, now)).toBe(current)
    expect(certificateRequestOrigin('mfa.contoso.example:443')).toBe('https://mfa.contoso.example')
    expect(certificateRequestOrigin('::not a host')).toBeUndefined()
  })

  it('gives nothing when no certificate of that issuer is valid now', () => {
    expect(pickClientCertificate([wifi, expired, future], 'https://mfa.contoso.example/v1/enrollments', tenant, now)).toBeUndefined()
    expect(pickClientCertificate([], 'https://mfa.contoso.example/', tenant, now)).toBeUndefined()
  })

  it('never gives a certificate to another origin, or over plain http, or without a configured issuer', () => {
    for (const url of ['https://evil.example/v1/enrollments', 'https://mfa.contoso.example:8443/', 'https://contoso.example/', 'not a url']) {
      expect(pickClientCertificate(store, url, tenant, now), url).toBeUndefined()
    }
    expect(pickClientCertificate(store, 'http://127.0.0.1:8787/v1/enrollments', { url: 'http://127.0.0.1:8787', certificateIssuer: 'Contoso Device CA' }, now)).toBeUndefined()
    expect(pickClientCertificate(store, 'https://mfa.contoso.example/', { url: tenant.url }, now)).toBeUndefined()
    expect(pickClientCertificate(store, 'https://mfa.contoso.example/', undefined, now)).toBeUndefined()
  })
})
