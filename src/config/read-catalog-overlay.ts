import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ZodError } from 'zod'
import { applyCatalogOverlay, CATALOG, type Catalog, catalogOverlaySchema } from '../providers/catalog.js'
import { ConfigError } from './config-error.js'

/** The user's catalogue file: newer figures, corrected models or whole new providers, no release needed. */
export const CATALOG_OVERLAY_FILE = 'catalog.json'
const MAX_OVERLAY_BYTES = 1024 * 1024

/**
 * The built-in catalogue, with `<dataDir>/catalog.json` applied when there is one. Same shape as the
 * built-in file (every figure with as_of and source); a provider's fields are replaced one by one and
 * its models merged by id.
 */
export function readCatalogOverlay(dataDir: string): Catalog {
  const path = join(dataDir, CATALOG_OVERLAY_FILE)
  let text: string
  try {
    if (statSync(path).size > MAX_OVERLAY_BYTES) {
      throw new ConfigError(`${path}: larger than ${MAX_OVERLAY_BYTES} bytes; a catalogue is a few KB`)
    }
    text = readFileSync(path, 'utf8')
  } catch (error) {
    // No file, or a data dir that is not a directory (the data-dir check names that problem itself).
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return CATALOG
    if (error instanceof ConfigError) throw error
    throw new ConfigError(`${path}: cannot read the catalogue (${(error as Error).message})`)
  }
  try {
    return applyCatalogOverlay(catalogOverlaySchema.parse(JSON.parse(text)))
  } catch (error) {
    if (error instanceof SyntaxError) throw new ConfigError(`${path}: not valid JSON (${error.message})`)
    if (error instanceof ZodError) {
      const details = error.issues.map((issue) => `providers.${issue.path.join('.')}: ${issue.message}`)
      throw new ConfigError(`${path}: invalid catalogue\n  ${details.join('\n  ')}`)
    }
    throw error
  }
}
