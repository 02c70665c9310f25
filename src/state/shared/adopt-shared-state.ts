import type { MemoryTargetParts } from '../target-store.js'
import type { AttemptTarget, MinuteEntry } from '../types.js'
import {
  type AdmitAnswer,
  type BucketView,
  blockRecord,
  breakerRecord,
  type PullAnswer,
  pairsOf,
  parseRecord,
  retiredRecord,
} from './shared-answers.js'

// How this instance's mirror takes what Redis holds: counters replaced by the shared counts, and the
// blocks, breakers, disabled keys and retired models of every instance taken in.

/** Shared one-second slots as minute entries; a slot counts from the last millisecond of its second. */
export function minuteEntriesOf(flat: readonly number[], nowMs: number): MinuteEntry[] {
  const entries: MinuteEntry[] = []
  for (let index = 0; index + 2 < flat.length; index += 3) {
    const second = flat[index]!
    entries.push({
      atMs: Math.min(nowMs, second * 1000 + 999),
      requests: flat[index + 1]!,
      tokens: flat[index + 2]!,
    })
  }
  return entries
}

export function adoptBucket(
  parts: MemoryTargetParts,
  target: AttemptTarget,
  view: BucketView,
  dayEndMs: number,
  nowMs: number,
): void {
  parts.tracker.adoptCounters(target, {
    day: { endMs: dayEndMs, requests: view.requests, tokens: view.tokens },
    minute: minuteEntriesOf(view.minute, nowMs),
  })
}

function adoptBlock(parts: MemoryTargetParts, text: string): void {
  const record = parseRecord(blockRecord, text)
  if (record !== null) parts.cooldowns.adopt(record.target, record.block)
}

function adoptBreaker(parts: MemoryTargetParts, field: string, text: string): void {
  const record = parseRecord(breakerRecord, text)
  const [provider, model] = field.split('\u0000')
  if (record === null || provider === undefined || model === undefined) return
  parts.breakerOf(provider, model).adopt(record)
  if (record.reason !== null && record.openUntilMs !== null)
    parts.store.breakers.noteFailure({ provider, model, keyIndex: 0 }, record.reason)
}

function adoptRetired(parts: MemoryTargetParts, text: string): void {
  const record = parseRecord(retiredRecord, text)
  if (record !== null) parts.retired.adopt(record)
}

function adoptDisabled(parts: MemoryTargetParts, field: string, reason: string): void {
  const [provider, keyIndex] = field.split('\u0000')
  if (provider === undefined || keyIndex === undefined || !/^\d+$/.test(keyIndex)) return
  if (parts.cooldowns.blockOf({ provider, model: '', keyIndex: Number(keyIndex) })?.state === 'disabled')
    return
  parts.cooldowns.disableKey(provider, Number(keyIndex), reason)
}

/** What an admission answered about the target's model, key and counter. */
export function adoptAdmitAnswer(
  parts: MemoryTargetParts,
  target: AttemptTarget,
  answer: AdmitAnswer,
  dayEndMs: number,
  nowMs: number,
): void {
  adoptBucket(
    parts,
    target,
    { minute: answer.minute, requests: answer.dr, tokens: answer.dt },
    dayEndMs,
    nowMs,
  )
  if (answer.block !== false) adoptBlock(parts, answer.block)
  if (answer.breaker !== false) adoptBreaker(parts, `${target.provider}\u0000${target.model}`, answer.breaker)
  if (answer.retired !== false) adoptRetired(parts, answer.retired)
  if (answer.disabled !== false)
    adoptDisabled(parts, `${target.provider}\u0000${target.keyIndex}`, answer.disabled)
}

/** Everything a pull read, but counters (the caller knows which target each one is). */
export function adoptPulledFacts(parts: MemoryTargetParts, pulled: PullAnswer): void {
  for (const [, text] of pairsOf(pulled.blocks)) adoptBlock(parts, text)
  for (const [field, text] of pairsOf(pulled.breakers)) adoptBreaker(parts, field, text)
  for (const [, text] of pairsOf(pulled.retired)) adoptRetired(parts, text)
  for (const [field, reason] of pairsOf(pulled.disabled)) adoptDisabled(parts, field, reason)
}
