import { once } from 'node:events'
import { createServer } from 'node:net'
import type { DoctorCheck } from './doctor-check.js'

export interface PortCheckOptions {
  host: string
  port: number
  /** An access key of this configuration, so a running SmartSplit's /health tells its version. */
  accessKey?: string
  healthTimeoutMs?: number
}

type Bind = { free: true } | { free: false; code: string }

async function tryBind(host: string, port: number): Promise<Bind> {
  const server = createServer()
  server.listen({ host, port, exclusive: true })
  try {
    await once(server, 'listening')
  } catch (error) {
    return { free: false, code: (error as NodeJS.ErrnoException).code ?? String(error) }
  }
  server.close()
  await once(server, 'close')
  return { free: true }
}

/** A wildcard bind is reached through loopback. */
function healthUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}/health`
}

type Holder = { kind: 'smartsplit'; version: string | null } | { kind: 'locked' } | { kind: 'other' }

async function whoHolds(options: PortCheckOptions): Promise<Holder> {
  try {
    const headers: Record<string, string> =
      options.accessKey === undefined ? {} : { authorization: `Bearer ${options.accessKey}` }
    const response = await fetch(healthUrl(options.host, options.port), {
      headers,
      signal: AbortSignal.timeout(options.healthTimeoutMs ?? 2_000),
    })
    const body = (await response.json().catch(() => null)) as Record<string, unknown> | null
    // 503 is a SmartSplit with no provider to serve: still SmartSplit.
    const isHealthy = response.ok || response.status === 503
    if (isHealthy && typeof body?.version === 'string' && typeof body.providers === 'object')
      return { kind: 'smartsplit', version: body.version }
    // With access keys, SmartSplit tells a caller without one only {status}.
    if (isHealthy && body !== null && typeof body.status === 'string' && Object.keys(body).length === 1)
      return { kind: 'smartsplit', version: null }
    const hasOpenAIError = typeof body?.error === 'object' && body.error !== null
    if (response.status === 401 && hasOpenAIError) return { kind: 'locked' }
  } catch {
    // not HTTP, or too slow: someone else
  }
  return { kind: 'other' }
}

/** The port is free, or already served by a SmartSplit (then doctor is checking a running server). */
export async function checkPort(options: PortCheckOptions): Promise<DoctorCheck> {
  const { host, port } = options
  const where = `${host}:${port}`
  if (port === 0) return { status: 'ok', name: 'port', detail: '0: a free port is chosen at start' }
  const bind = await tryBind(host, port)
  if (bind.free) return { status: 'ok', name: 'port', detail: `${where} is free` }
  if (bind.code === 'EADDRINUSE') {
    const holder = await whoHolds(options)
    if (holder.kind === 'smartsplit') {
      const version = holder.version === null ? '(asks for an access key)' : holder.version
      return { status: 'ok', name: 'port', detail: `${where} is served by SmartSplit ${version}` }
    }
    if (holder.kind === 'locked') {
      return {
        status: 'warn',
        name: 'port',
        detail: `${where} is in use by a server that asks for an access key`,
        hint: 'if it is SmartSplit, give doctor its access key (SMARTSPLIT_API_KEY); else choose --port',
      }
    }
    return {
      status: 'fail',
      name: 'port',
      detail: `${where} is in use by another program`,
      hint: `stop it (lsof -i :${port}) or choose another port with --port`,
    }
  }
  if (bind.code === 'EACCES') {
    return {
      status: 'fail',
      name: 'port',
      detail: `${where}: permission denied`,
      hint: 'ports below 1024 need privileges: choose --port 8420',
    }
  }
  if (bind.code === 'EADDRNOTAVAIL' || bind.code === 'ENOTFOUND') {
    return {
      status: 'fail',
      name: 'port',
      detail: `${where}: ${host} is not an address of this machine`,
      hint: 'use --host 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)',
    }
  }
  return {
    status: 'fail',
    name: 'port',
    detail: `${where}: cannot listen (${bind.code})`,
    hint: 'choose another --host or --port',
  }
}
