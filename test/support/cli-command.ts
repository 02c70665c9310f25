import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
// By path: `--import tsx` would be resolved from the child's working directory, a temp dir.
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href

/**
 * How tests start the real CLI from source: one Node process with tsx as its loader. The `tsx` binary
 * would start a second process and relay signals to it, and a signal sent right after the banner could
 * reach that relay before the server's own handler: the test then saw exit 143 instead of a clean stop.
 */
export function cliCommand(args: readonly string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', TSX_LOADER, join(ROOT, 'src/main.ts'), ...args] }
}
