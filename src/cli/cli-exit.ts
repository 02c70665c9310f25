/** A failure the CLI reports as one clear line and a non-zero exit code, never a stack trace. */
export class CliExit extends Error {
  readonly exitCode: number
  constructor(message: string, exitCode = 1) {
    super(message)
    this.name = 'CliExit'
    this.exitCode = exitCode
  }
}
