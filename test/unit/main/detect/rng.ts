// A small deterministic random generator for the detection tests (mulberry32), so they stay reproducible.

/** pick(n) is in [0, n). */
export function rng(seed: number): (n: number) => number {
  let s = seed >>> 0
  return (n: number) => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = Math.imul(s ^ (s >>> 15), 1 | s)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)
  }
}
