// Child-process entry of the fake upstream: prints one JSON line with its port, then serves until
// SIGTERM or until its parent goes away (stdin closes), so a crashed benchmark leaves nothing behind.
import { startFakeUpstream } from './fake-upstream.js'

const fake = await startFakeUpstream(Number(process.env.FAKE_PORT ?? 0))
process.stdout.write(`${JSON.stringify({ ready: true, port: fake.port })}\n`)

const stop = (): void => {
  void fake.close().then(() => process.exit(0))
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
process.stdin.on('end', stop)
process.stdin.resume()
