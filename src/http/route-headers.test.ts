import { describe, expect, it } from 'vitest'
import type { Candidate } from '../pipeline/run.js'
import { routeHeaders } from './route-headers.js'

const candidate = (model: string): Candidate =>
  ({ provider: { name: 'groq' }, model }) as unknown as Candidate

describe('routeHeaders', () => {
  it('says who answered', () => {
    expect(routeHeaders(null, candidate('llama-3.3-70b'), [])).toEqual({
      'x-smartsplit-provider': 'groq',
      'x-smartsplit-model': 'llama-3.3-70b',
    })
  })

  it('replaces what writeHead cannot send in a model id the client chose', () => {
    const headers = routeHeaders(null, candidate('modèle-東京\r\nx-evil: 1'), [])
    expect(headers['x-smartsplit-model']).toBe('mod?le-????x-evil: 1')
    expect(Object.keys(headers)).toEqual(['x-smartsplit-provider', 'x-smartsplit-model'])
  })
})
