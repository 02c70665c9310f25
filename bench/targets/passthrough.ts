import { join } from 'node:path'
import { spawnChild } from '../lib/child-process.js'
import type { Target, UpstreamKind } from './target.js'

/** The floor target: bench/targets/passthrough-main.ts in its own process, in front of the fake. */
export async function startPassthroughTarget(
  root: string,
  upstream: { kind: UpstreamKind; baseUrl: string; caPath: string },
  tmpDir: string,
): Promise<Target> {
  const child = await spawnChild(process.execPath, ['--import', 'tsx', 'bench/targets/passthrough-main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      UPSTREAM_URL: upstream.baseUrl,
      UPSTREAM_CA: upstream.caPath,
    },
    readyPattern: /"port":(\d+)/,
    stderrFile: join(tmpDir, `passthrough-${upstream.kind}.stderr.log`),
  })
  const how = upstream.kind === 'tls' ? 'node:https keep-alive agent' : 'node:http keep-alive agent'
  return {
    name: 'passthrough',
    upstream: upstream.kind,
    label: `bare node:http pass-through (bench/targets/passthrough-main.ts; ${how} to the fake): the floor of any Node proxy`,
    version: `node ${process.version}`,
    url: `http://127.0.0.1:${child.ready[1]}/v1/chat/completions`,
    headers: { authorization: 'Bearer bench-key' },
    model: 'bench-model',
    usage: () => child.usage(),
    stop: () => child.stop(),
  }
}
