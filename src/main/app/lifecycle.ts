// The app's life around its services: requests that arrive before the services are ready wait for them (a second
// launch, a Dock reopen, a notification click during start-up), and quitting waits a bounded time for their close.

/** Holds actions until `ready()`, then runs them in order; after that, runs each at once. A failing action is logged. */
export class ReadyQueue<T> {
  #value: T | undefined
  #waiting: ((value: T) => void)[] = []

  constructor(private readonly log: (message: string) => void) {}

  /** Runs `action` with the ready value now, or once it is ready. */
  run(action: (value: T) => void): void {
    if (this.#value === undefined) this.#waiting.push(action)
    else this.#call(action, this.#value)
  }

  /** The services are up: runs what waited. */
  ready(value: T): void {
    this.#value = value
    const waiting = this.#waiting
    this.#waiting = []
    for (const action of waiting) this.#call(action, value)
  }

  /** How many actions are waiting. */
  get pending(): number {
    return this.#waiting.length
  }

  #call(action: (value: T) => void, value: T): void {
    try {
      action(value)
    } catch (error) {
      this.log(`A queued action failed: ${(error as Error).message}`)
    }
  }
}

/**
 * Waits for `work` (closing the services: the open enrolment's cancel reaches the tenant), but never longer than
 * `ms`: quitting, logging off or shutting down is never held up by a slow or unreachable tenant. Resolves to whether
 * the work finished in time; a failure counts as finished (it is logged by the caller's work itself).
 */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([work.then(() => true, () => true), late])
  } finally {
    clearTimeout(timer)
  }
}
