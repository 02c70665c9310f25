import { describe, expect, it } from 'vitest'
import { SERVER_HEAP_FLAG, serverHeapFlag } from './server-heap-flag.js'

describe('serverHeapFlag', () => {
  it('sets the growing factor when nobody chose one', () => {
    expect(serverHeapFlag([])).toBe(SERVER_HEAP_FLAG)
    expect(serverHeapFlag(['--max-old-space-size=512', '--enable-source-maps'])).toBe(SERVER_HEAP_FLAG)
  })

  it("leaves the operator's own choice in node's arguments alone", () => {
    expect(serverHeapFlag(['--heap-growing-percent=20'])).toBeNull()
    expect(serverHeapFlag(['--max-old-space-size=512', '--heap_growing_percent=80'])).toBeNull()
  })
})
