// The tray image of last resort: a ring drawn in code, for when the image file is missing or unreadable (a broken
// install, a packaging mistake). The tray is the app's only door, so it must appear whatever happens to a file.

/** Unloop's blue (the app icon's), as B, G, R. */
const BLUE = [0xc0, 0x65, 0x15] as const

/**
 * A `size`×`size` ring as BGRA pixels (what Electron's `nativeImage.createFromBitmap` takes), anti-aliased by
 * coverage; black for a macOS template image, blue otherwise.
 */
export function fallbackTrayBitmap(size: number, template: boolean): Buffer {
  const out = Buffer.alloc(size * size * 4)
  const c = size / 2
  const outer = size / 2 - 0.5
  const inner = outer - Math.max(2, size / 6)
  const [b, g, r] = template ? [0, 0, 0] : BLUE
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x + 0.5 - c, y + 0.5 - c)
      const coverage = Math.max(0, Math.min(1, outer - d + 0.5, d - inner + 0.5))
      const i = (y * size + x) * 4
      out[i] = b
      out[i + 1] = g
      out[i + 2] = r
      out[i + 3] = Math.round(coverage * 255)
    }
  }
  return out
}
