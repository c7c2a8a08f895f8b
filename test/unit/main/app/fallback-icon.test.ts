// The tray image of last resort is a visible ring: opaque on the ring, clear in the middle and at the corners.
import { describe, expect, it } from 'vitest'
import { fallbackTrayBitmap } from '../../../../src/main/app/fallback-icon.js'

const alpha = (b: Buffer, size: number, x: number, y: number) => b[(y * size + x) * 4 + 3]!

describe('fallbackTrayBitmap', () => {
  it('draws a ring at 16 and 32 px in BGRA, black for templates and blue otherwise', () => {
    for (const size of [16, 32]) {
      const b = fallbackTrayBitmap(size, false)
      expect(b.length).toBe(size * size * 4)
      expect(alpha(b, size, 0, 0)).toBe(0)
      expect(alpha(b, size, size / 2, size / 2)).toBe(0)
      expect(alpha(b, size, size / 2, 1)).toBe(255)
      expect([...b.subarray(0, 3)]).toEqual([0xc0, 0x65, 0x15])
      const t = fallbackTrayBitmap(size, true)
      for (let i = 0; i < t.length; i += 4) expect(t[i]! + t[i + 1]! + t[i + 2]!).toBe(0)
      expect(t.filter((_, i) => i % 4 === 3 && t[i] === 255).length).toBeGreaterThan(size)
    }
  })
})
