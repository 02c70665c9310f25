import { stripCodeFence } from '../../wire/completions/strip-code-fence.js'
import type { StreamOutcome } from '../types.js'

/**
 * An autocomplete's answer as the editor should insert it: a native FIM endpoint's text as it came, a
 * chat model's without the code fence it may have wrapped around it; the notes say which it was.
 */
export function finishAutocomplete(outcome: StreamOutcome): StreamOutcome {
  const { candidate } = outcome
  const isNative = candidate.provider.quirks.fim?.model === candidate.model
  return {
    ...outcome,
    chunks: isNative ? outcome.chunks : stripCodeFence(outcome.chunks),
    notes: { ...outcome.notes, completion: isNative ? 'native' : 'emulated' },
  }
}
