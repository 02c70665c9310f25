// Empties dist/ before `npm pack` builds it, so a file whose source was deleted never ships.
import { rmSync } from 'node:fs'

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true })
