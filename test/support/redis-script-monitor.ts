import { createHash } from 'node:crypto'
import { Redis } from 'ioredis'

// Which Lua scripts SmartSplit's instances ran in Redis while something happened, read from redis-server's
// own MONITOR (no mock): a script sent by its SHA1 (EVALSHA) or whole (EVAL, the first time) counts the
// same. Commands a script runs inside Redis are not counted: each script call is one round trip.

export interface ScriptMonitor {
  /** How many times each named script ran (with this key prefix) while `action` ran. */
  countDuring(action: () => Promise<unknown>): Promise<Record<string, number>>
  close(): Promise<void>
}

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex')

export async function monitorScripts(
  url: string,
  prefix: string,
  scripts: Record<string, string>,
): Promise<ScriptMonitor> {
  const nameOf = new Map(Object.entries(scripts).map(([name, source]) => [sha1(source), name]))
  const client = new Redis(url, { lazyConnect: true })
  await client.connect()
  const monitor = await client.monitor()
  const marker = new Redis(url, { lazyConnect: true })
  await marker.connect()
  let seen: string[] = []
  const waiting = new Map<string, () => void>()
  monitor.on('monitor', (_time: string, args: string[]) => {
    const [command = '', script = '', , keyPrefix] = args
    if (command.toLowerCase() === 'echo') waiting.get(script)?.()
    const sha =
      command.toLowerCase() === 'evalsha' ? script : command.toLowerCase() === 'eval' ? sha1(script) : ''
    const name = nameOf.get(sha)
    if (name !== undefined && keyPrefix === prefix) seen.push(name)
  })
  let marks = 0
  /** Everything sent to Redis before this call has been seen once its own ECHO comes back through MONITOR. */
  const settled = async (): Promise<void> => {
    const token = `marker-${++marks}`
    const arrived = new Promise<void>((resolve) => waiting.set(token, resolve))
    await marker.echo(token)
    await arrived
    waiting.delete(token)
  }
  return {
    async countDuring(action) {
      await settled()
      seen = []
      await action()
      await settled()
      const counts = Object.fromEntries(Object.keys(scripts).map((name) => [name, 0]))
      for (const name of seen) counts[name] = (counts[name] ?? 0) + 1
      return counts
    },
    async close() {
      monitor.disconnect()
      marker.disconnect()
      client.disconnect()
    },
  }
}
