import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

// The fake upstream's TLS certificate, made at bench time with the openssl command line (Debian's
// openssl package): an ECDSA P-256 key, as most providers' edges serve, valid one day for 127.0.0.1.
// Clients trust it as their own CA (it is self-signed); nothing turns certificate checks off.

export interface CertificateFiles {
  keyPath: string
  /** The certificate, which is also the CA a client must trust. */
  certPath: string
}

export function makeSelfSignedCertificate(dir: string): CertificateFiles {
  const keyPath = join(dir, 'fake-tls-key.pem')
  const certPath = join(dir, 'fake-tls-cert.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'pipe' },
  )
  return { keyPath, certPath }
}
