// Time source for the server, replaceable in tests to move through TTLs without waiting.

/** Current time in milliseconds since the epoch. */
export interface Clock {
  now(): number
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() }

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private ms: number = Date.UTC(2026, 10, 2, 9, 0, 0)) {}
  now(): number {
    return this.ms
  }
  /** Moves time forward by `seconds`. */
  advance(seconds: number): void {
    this.ms += seconds * 1000
  }
  /** Sets the time. */
  set(ms: number): void {
    this.ms = ms
  }
}
