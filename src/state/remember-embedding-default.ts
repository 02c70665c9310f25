import type { Store } from './store/types.js'

/** Where the store keeps the model smartsplit-embed was first given. */
const DOCUMENT = 'embedding-default-model'

/**
 * What smartsplit-embed means, chosen with what was chosen before (read from the store, null when there
 * is none or the store cannot be read) and remembered for the next start, so an index's vector space
 * never changes because a key was added.
 */
export function rememberEmbeddingDefault(
  store: Pick<Store, 'loadDocument' | 'saveDocument'>,
  choose: (saved: unknown) => string | null,
): string | null {
  let saved: unknown = null
  try {
    saved = store.loadDocument(DOCUMENT)
  } catch {
    // A store that cannot be read: choose afresh (and the next start will find this choice).
  }
  const chosen = choose(saved)
  if (chosen !== null && chosen !== saved) store.saveDocument(DOCUMENT, chosen)
  return chosen
}
