// A FIFO async mutex: single-process stores run one transaction at a time.

/** Serialises async critical sections. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve()

  /** Runs `work` after every earlier caller's work has finished. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work)
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    )
    return result
  }
}
