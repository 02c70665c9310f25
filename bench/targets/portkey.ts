import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { spawnChild } from '../lib/child-process.js'
import type { Target, UpstreamKind } from './target.js'

// The Portkey AI Gateway as the peer baseline, installed on demand into bench/.peer/portkey (gitignored,
// never in the project's package.json). Its quirks (see shared/reference/peer-gateways.md): with the
// @hono/node-server npm resolves by default every stream fails with "TypeError: immutable", so 1.13.5 is
// pinned through `overrides` and given the one-line patch Portkey's own lockfile applies.

export const PORTKEY_VERSION = '1.15.2'
export const HONO_NODE_SERVER_VERSION = '1.13.5'
const PATCH_FROM = 'return responseViaResponseObject(res, outgoing, options);'
const PATCH_TO = 'return await responseViaResponseObject(res, outgoing, options);'

const run = promisify(execFile)

function installedVersion(dir: string, name: string): string | null {
  const path = join(dir, 'node_modules', name, 'package.json')
  if (!existsSync(path)) return null
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version
}

function applyPatch(dir: string): void {
  const path = join(dir, 'node_modules', '@hono', 'node-server', 'dist', 'index.mjs')
  const source = readFileSync(path, 'utf8')
  if (source.includes(PATCH_TO)) return
  if (!source.includes(PATCH_FROM)) throw new Error(`@hono/node-server patch target not found in ${path}`)
  writeFileSync(path, source.replace(PATCH_FROM, PATCH_TO))
}

/** Installs the pinned gateway if needed; returns its folder. Throws with the reason when it cannot. */
export async function ensurePortkey(root: string, log: (line: string) => void): Promise<string> {
  const dir = join(root, 'bench', '.peer', 'portkey')
  const ready =
    installedVersion(dir, '@portkey-ai/gateway') === PORTKEY_VERSION &&
    installedVersion(dir, '@hono/node-server') === HONO_NODE_SERVER_VERSION
  if (!ready) {
    mkdirSync(dir, { recursive: true })
    const manifest = {
      name: 'smartsplit-bench-peer-portkey',
      private: true,
      description: 'Installed on demand by bench/targets/portkey.ts; not part of SmartSplit.',
      dependencies: { '@portkey-ai/gateway': PORTKEY_VERSION },
      overrides: { '@hono/node-server': HONO_NODE_SERVER_VERSION },
    }
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
    log(`installing @portkey-ai/gateway@${PORTKEY_VERSION} into ${dir} …`)
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    await run(npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
      cwd: dir,
      timeout: 240_000,
    })
    if (installedVersion(dir, '@hono/node-server') !== HONO_NODE_SERVER_VERSION)
      throw new Error(`@hono/node-server is not ${HONO_NODE_SERVER_VERSION} after install`)
  }
  applyPatch(dir)
  return dir
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

export async function startPortkeyTarget(
  dir: string,
  upstream: { kind: UpstreamKind; baseUrl: string; caPath: string },
  tmpDir: string,
): Promise<Target> {
  const port = await freePort()
  const child = await spawnChild(
    process.execPath,
    ['node_modules/@portkey-ai/gateway/build/start-server.js', `--port=${port}`, '--headless'],
    {
      cwd: dir,
      // Portkey reaches the fake with Node's fetch: the run's certificate joins Node's trusted roots.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tmpDir,
        NODE_ENV: 'production',
        NODE_EXTRA_CA_CERTS: upstream.caPath,
      },
      readyPattern: /Ready for connections/,
      stderrFile: join(tmpDir, `portkey-${upstream.kind}.stderr.log`),
    },
  )
  const version = `${PORTKEY_VERSION} (@hono/node-server ${HONO_NODE_SERVER_VERSION}, patched)`
  return {
    name: 'portkey',
    upstream: upstream.kind,
    label: `Portkey AI Gateway ${version}`,
    version,
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    // Portkey has no config file: every request names its upstream.
    headers: {
      authorization: 'Bearer bench-key',
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': upstream.baseUrl,
    },
    model: 'bench-model',
    usage: () => child.usage(),
    stop: () => child.stop(),
  }
}
