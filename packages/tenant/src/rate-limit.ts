// Token bucket per device (TEP §7: 30 requests per minute).

/** Per-key token buckets on a supplied clock. */
export class TokenBuckets {
  readonly #buckets = new Map<string, { tokens: number; at: number }>()
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  /** Takes one token for `key`; returns 0 when allowed, else the seconds until a token is available. */
  take(key: string): number {
    const now = this.now()
    const rate = this.perMinute / 60_000
    const b = this.#buckets.get(key) ?? { tokens: this.perMinute, at: now }
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * rate)
    b.at = now
    this.#buckets.set(key, b)
    if (b.tokens >= 1) {
      b.tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000))
  }
}
