import { join } from 'node:path'
import type { FakeShape, FakeStats } from '../fake/fake-upstream.js'
import { type ProcessUsage, spawnChild } from '../lib/child-process.js'
import { makeSelfSignedCertificate } from '../lib/self-signed-cert.js'

/** How a proxy reaches the fake: plain HTTP, or TLS as real providers are reached. */
export type UpstreamKind = 'http' | 'tls'

/**
 * Something the load generator can aim at: the fake itself, SmartSplit (the defaults users run, or with
 * the quality gates off as a breakdown), the bare pass-through floor, or a peer gateway.
 */
export interface Target {
  name: 'direct' | 'passthrough' | 'smartsplit' | 'smartsplit-gates-off' | 'portkey'
  /** How this target reaches the fake (direct: how the load generator does). */
  upstream: UpstreamKind
  /** What was measured, e.g. "SmartSplit 0.1.0 (node dist/main.js)". */
  label: string
  version: string
  /** Full URL of the chat completions endpoint. */
  url: string
  headers: Record<string, string>
  /** The model id the client sends. */
  model: string
  /** CPU time and RSS of the process that does the target's work (null when not measurable). */
  usage(): ProcessUsage | null
  stop(): Promise<void>
}

export interface FakeProcess {
  port: number
  baseUrl: string
  /** The same fake over TLS (HTTP/1.1 or HTTP/2 by ALPN) with a certificate made for this run. */
  tlsBaseUrl: string
  /** The certificate a client must trust to reach tlsBaseUrl. */
  caPath: string
  configure(shape: Partial<FakeShape>): Promise<void>
  stats(): Promise<FakeStats>
  direct: Target
  stop(): Promise<void>
}

/** The fake upstream in its own process, so it never competes with the load generator's event loop. */
export async function startFakeProcess(root: string, tmpDir: string): Promise<FakeProcess> {
  const { keyPath, certPath } = makeSelfSignedCertificate(tmpDir)
  const child = await spawnChild(process.execPath, ['--import', 'tsx', 'bench/fake/fake-main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      FAKE_TLS_KEY: keyPath,
      FAKE_TLS_CERT: certPath,
    },
    readyPattern: /"tlsPort":(\d+),"port":(\d+)/,
    stderrFile: join(tmpDir, 'fake.stderr.log'),
  })
  const port = Number(child.ready[2])
  const baseUrl = `http://127.0.0.1:${port}/v1`
  const control = `http://127.0.0.1:${port}`
  return {
    port,
    baseUrl,
    tlsBaseUrl: `https://127.0.0.1:${child.ready[1]}/v1`,
    caPath: certPath,
    async configure(shape) {
      const response = await fetch(`${control}/__config`, { method: 'POST', body: JSON.stringify(shape) })
      if (!response.ok) throw new Error(`fake refused its configuration: ${response.status}`)
    },
    async stats() {
      return (await (await fetch(`${control}/__stats`)).json()) as FakeStats
    },
    direct: {
      name: 'direct',
      upstream: 'http',
      label: 'fake upstream called directly',
      version: 'bench/fake',
      url: `${baseUrl}/chat/completions`,
      headers: { authorization: 'Bearer bench-key' },
      model: 'bench-model',
      usage: () => child.usage(),
      stop: async () => {},
    },
    stop: () => child.stop(),
  }
}
