import type { Redis } from 'ioredis'
import { connectRedis } from './redis-link.js'

export interface PinMovesOptions {
  url: string
  timeoutMs: number
  /** The channel every pin write is published on (pin-lua.ts). */
  channel: string
  /** This instance's name: its own writes are not news to it. */
  instance: string
  /** Another instance wrote this conversation's pin. */
  onMove(conversation: string): void
  /** Following the channel, or not (then any move may have been missed). */
  onFollowing(isFollowing: boolean): void
  /** Said once when Redis refuses the subscription (an ACL without SUBSCRIBE): it is not asked again. */
  warn(message: string): void
}

export interface PinMoves {
  close(): Promise<void>
}

/** `<instance>\n<conversation>`, as pin-lua.ts publishes it; null when the message is not one. */
function moveOf(message: string): { instance: string; conversation: string } | null {
  const cut = message.indexOf('\n')
  if (cut <= 0 || cut === message.length - 1) return null
  return { instance: message.slice(0, cut), conversation: message.slice(cut + 1) }
}

/**
 * Follows the pin moves other instances publish, on a connection of its own (a subscribed Redis
 * connection can do nothing else). Until it is subscribed, and from the moment it loses the connection,
 * it says it is not following: whatever moved meanwhile was not heard of.
 */
export function openPinMoves(options: PinMovesOptions): PinMoves {
  let client: Redis | null = null
  let isClosed = false
  const opened = import('ioredis').then(({ Redis: RedisClient }) => {
    if (isClosed) return
    const subscriber = connectRedis(RedisClient, options, 'smartsplit-pins')
    client = subscriber
    subscriber.on('error', () => {
      // Reconnects on its own; the link carrying the calls says why Redis is away.
    })
    subscriber.on('message', (channel: string, message: string) => {
      const move = channel === options.channel ? moveOf(message) : null
      if (move !== null && move.instance !== options.instance) options.onMove(move.conversation)
    })
    subscriber.on('ready', () => {
      subscriber.subscribe(options.channel).then(
        () => options.onFollowing(true),
        (error: Error) => {
          options.warn(
            `cannot follow conversation pin moves on ${options.channel} (${error.message}): every turn reads its pin from Redis`,
          )
          subscriber.disconnect(false)
        },
      )
    })
    subscriber.on('close', () => options.onFollowing(false))
    subscriber.connect().catch(() => options.onFollowing(false))
  })
  return {
    async close() {
      isClosed = true
      await opened
      const open = client as Redis | null
      if (open === null) return
      open.removeAllListeners('close')
      options.onFollowing(false)
      await open.quit().catch(() => open.disconnect())
    },
  }
}
