// Child-process entry of the fake upstream: prints one JSON line with its ports, then serves until
// SIGTERM or until its parent goes away (stdin closes), so a crashed benchmark leaves nothing behind.
// FAKE_TLS_KEY and FAKE_TLS_CERT (file paths) add the TLS listener.
import { readFileSync } from 'node:fs'
import { startFakeUpstream } from './fake-upstream.js'

const { FAKE_TLS_KEY: keyPath, FAKE_TLS_CERT: certPath } = process.env
const tls =
  keyPath === undefined || certPath === undefined
    ? undefined
    : { key: readFileSync(keyPath), cert: readFileSync(certPath) }
const fake = await startFakeUpstream(Number(process.env.FAKE_PORT ?? 0), tls)
process.stdout.write(`${JSON.stringify({ ready: true, tlsPort: fake.tlsPort, port: fake.port })}\n`)

const stop = (): void => {
  void fake.close().then(() => process.exit(0))
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
process.stdin.on('end', stop)
process.stdin.resume()
