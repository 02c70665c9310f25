/**
 * Appends every item to `target`. `target.push(...items)` passes each item as a call argument, and past
 * about 100 000 of them (a request's messages, a turn's content blocks) the stack overflows.
 */
export function pushAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item)
}
