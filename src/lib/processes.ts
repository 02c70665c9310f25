/** This process and a way to tell whether another one still runs: the data dir's lock needs both. */
export interface Processes {
  readonly ownPid: number
  isAlive(pid: number): boolean
}

export const systemProcesses: Processes = {
  ownPid: process.pid,
  isAlive(pid) {
    try {
      // Signal 0 delivers nothing: it only asks whether the process exists.
      process.kill(pid, 0)
      return true
    } catch (error) {
      // EPERM: it exists but belongs to another user; ESRCH: there is no such process.
      return (error as NodeJS.ErrnoException).code === 'EPERM'
    }
  },
}
