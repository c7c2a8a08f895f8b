// `npm run icons`: draws every platform icon in resources/icons/ from the shapes below (no source artwork, no network)
// and writes them; `npm run icons -- --check` only compares and fails when a committed file differs. A unit test
// (test/unit/icons.test.ts) does the same and checks the platform rules. docs/icons.md says which file is used where.
//
// The glyph is "a loop, broken open": a thick ring with a gap on the right (the open "C" of the first icon) and the
// broken-off piece, a dot, sitting in the gap. The alert variants add a badge dot at the top right with a cut-out
// around it. Every size is drawn from the shapes at its own pixel size (never a downscaled 1024), with strokes that
// get relatively thicker at small sizes, and anti-aliased by supersampling (an S×S grid of point samples a pixel).
//
// Byte-determinism: the shapes use only + - * / and sqrt per sample (the few cos/sin are constants), and the PNGs are
// deflated with Z_RLE (run-length matches only, no hash chains, so the output does not depend on zlib's CPU-specific
// match finder), level 9, a fixed filter choice and chunk size. The ICO container is written by hand below.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { constants as zlib } from 'node:zlib'
import { PNG } from 'pngjs'

/** An 8-bit RGBA image, rows top-down, straight (not premultiplied) alpha. */
export interface Raster {
  width: number
  height: number
  data: Uint8Array
}

type Rgb = readonly [number, number, number]
/** Whether a point (pixel coordinates, y down, pixel centres at .5) is inside a shape. */
type Shape = (x: number, y: number) => boolean

const hex = (h: string): Rgb => [parseInt(h.slice(1, 3), 16) / 255, parseInt(h.slice(3, 5), 16) / 255, parseInt(h.slice(5, 7), 16) / 255]
/** The identity blue of the first icon (#0B5CAD there); the app icon shades it top to bottom. */
const blue = hex('#1565C0')
const blueTop = hex('#2A85E6')
const blueBottom = hex('#0D55AB')
const white = hex('#FFFFFF')
const black = hex('#000000')
/** The alert badge in the colour variants: a deep orange that reads on the blue, on light and on dark taskbars. */
const alert = hex('#FF5A1F')

/** A premultiplied float canvas the layers are composited onto. */
class Canvas {
  readonly px: Float64Array
  constructor(readonly width: number, readonly height: number) {
    this.px = new Float64Array(width * height * 4)
  }

  /** Coverage of a pixel by a shape: the share of an S×S grid of samples inside it. */
  static coverage(shape: Shape, x: number, y: number, s: number): number {
    let n = 0
    for (let j = 0; j < s; j++) for (let i = 0; i < s; i++) if (shape(x + (i + 0.5) / s, y + (j + 0.5) / s)) n++
    return n / (s * s)
  }

  /** Paints a shape "over" what is there, in one colour or a colour per pixel, at an opacity. */
  fill(shape: Shape, colour: Rgb | ((x: number, y: number) => Rgb), s: number, opacity = 1): void {
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        const a = Canvas.coverage(shape, x, y, s) * opacity
        if (a === 0) continue
        const c = typeof colour === 'function' ? colour(x + 0.5, y + 0.5) : colour
        const i = (y * this.width + x) * 4
        for (let k = 0; k < 3; k++) this.px[i + k] = c[k]! * a + this.px[i + k]! * (1 - a)
        this.px[i + 3] = a + this.px[i + 3]! * (1 - a)
      }
    }
  }

  /** Paints with a per-pixel alpha (no supersampling: for soft things such as a shadow). */
  fillAlpha(alphaAt: (x: number, y: number) => number, colour: Rgb): void {
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        const a = alphaAt(x + 0.5, y + 0.5)
        if (a <= 0) continue
        const i = (y * this.width + x) * 4
        for (let k = 0; k < 3; k++) this.px[i + k] = colour[k]! * a + this.px[i + k]! * (1 - a)
        this.px[i + 3] = a + this.px[i + 3]! * (1 - a)
      }
    }
  }

  /** Erases a shape (a cut-out): what is there keeps only the uncovered share. */
  clear(shape: Shape, s: number): void {
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        const keep = 1 - Canvas.coverage(shape, x, y, s)
        if (keep === 1) continue
        const i = (y * this.width + x) * 4
        for (let k = 0; k < 4; k++) this.px[i + k] = this.px[i + k]! * keep
      }
    }
  }

  raster(): Raster {
    const data = new Uint8Array(this.width * this.height * 4)
    for (let i = 0; i < data.length; i += 4) {
      const a = this.px[i + 3]!
      const alpha = Math.round(Math.min(1, a) * 255)
      data[i + 3] = alpha
      if (alpha === 0) continue
      for (let k = 0; k < 3; k++) data[i + k] = Math.round(Math.min(1, Math.max(0, this.px[i + k]! / a)) * 255)
    }
    return { width: this.width, height: this.height, data }
  }
}

const circle = (cx: number, cy: number, r: number): Shape => (x, y) => (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r

/** A squircle |x|^5 + |y|^5 <= 1 (close to macOS's continuous-corner app icon shape), centre and half size. */
const squircle = (cx: number, cy: number, half: number): Shape => (x, y) => {
  const u = Math.abs(x - cx) / half
  const v = Math.abs(y - cy) / half
  const u2 = u * u
  const v2 = v * v
  return u2 * u2 * u + v2 * v2 * v <= 1
}

/** A rounded rectangle filling [x0, x1] × [y0, y1] with corner radius r (the small, pixel-aligned backgrounds). */
const roundedRect = (x0: number, y0: number, x1: number, y1: number, r: number): Shape => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false
  const dx = x < x0 + r ? x0 + r - x : x > x1 - r ? x - (x1 - r) : 0
  const dy = y < y0 + r ? y0 + r - y : y > y1 - r ? y - (y1 - r) : 0
  return dx * dx + dy * dy <= r * r
}

/** The glyph's proportions, in units of its half size (the glyph box is [-1, 1]², y up). */
interface Glyph {
  /** The ring's centre-line radius and stroke width. */
  radius: number
  stroke: number
  /** The dot (the broken-off piece) in the gap: its distance from the centre and its radius. */
  dotAt: number
  dot: number
}
/** Half the gap's opening angle (centred on the right, 3 o'clock): 42°. */
const gapCos = 0.7431448254773942
const gapSin = 0.6691306063588582

/**
 * The glyph for a half size in pixels: the drawn proportions at 64 px and up, heavier strokes and a bigger dot below
 * (a 16 px tray icon gets a stroke of about 2.4 px, so it never fades into anti-aliasing).
 */
function glyphFor(halfPx: number): Glyph {
  const t = Math.min(1, Math.max(0, (halfPx - 7) / 25)) // 0 at a 14 px glyph, 1 at 64 px
  const mix = (small: number, large: number) => small + (large - small) * t
  return { radius: mix(0.6, 0.6), stroke: mix(0.38, 0.26), dotAt: mix(0.74, 0.66), dot: mix(0.24, 0.16) }
}

/** The ring with its gap and round ends, and the dot, centred at (cx, cy) with a half size in pixels. */
function glyphShapes(cx: number, cy: number, half: number): { ring: Shape; dot: Shape } {
  const g = glyphFor(half)
  const r = g.radius * half
  const w = (g.stroke * half) / 2
  const capX = cx + r * gapCos
  const capDy = r * gapSin
  const ring: Shape = (x, y) => {
    const u = x - cx
    const v = cy - y
    const d = Math.sqrt(u * u + v * v)
    const inBand = d >= r - w && d <= r + w
    const inGap = u > 0 && Math.abs(v) * gapCos < u * gapSin
    if (inBand && !inGap) return true
    return circle(capX, cy - capDy, w)(x, y) || circle(capX, cy + capDy, w)(x, y)
  }
  return { ring, dot: circle(cx + g.dotAt * half, cy, g.dot * half) }
}

/** The badge of the alert variants: top right, its radius and the cut-out margin around it, for a canvas size. */
function badge(size: number): { cx: number; cy: number; r: number; cut: number } {
  const r = size * 0.17
  return { cx: size - r, cy: r, r, cut: Math.max(1, size * 0.06) }
}

const samples = (size: number) => (size <= 64 ? 8 : size <= 256 ? 6 : 4)

/**
 * The app icon at 1024 px: Apple's macOS grid (an 824 px body centred on the 1024 canvas, the margin left for the
 * shadow), a squircle in a blue gradient, a soft shadow below, the white glyph.
 */
export function appIcon1024(): Raster {
  const size = 1024
  const half = 412
  const c = size / 2
  const canvas = new Canvas(size, size)
  // The shadow: the squircle's pseudo-distance, 12 px down, fading over about 28 px.
  canvas.fillAlpha((x, y) => {
    const u = Math.abs(x - c) / half
    const v = Math.abs(y - c - 12) / half
    const u2 = u * u
    const v2 = v * v
    const f = Math.sqrt(Math.sqrt(u2 * u2 * u + v2 * v2 * v)) // ~ (|u|^5+|v|^5)^(1/4), monotone in the distance
    const d = (f - 1) * half
    const t = Math.min(1, Math.max(0, (d + 6) / 34))
    return 0.32 * (1 - t) * (1 - t)
  }, black)
  canvas.fill(squircle(c, c, half), (_x, y) => {
    const t = (y - (c - half)) / (2 * half)
    return [0, 1, 2].map((k) => blueTop[k]! + (blueBottom[k]! - blueTop[k]!) * t) as unknown as Rgb
  }, samples(size))
  const glyph = glyphShapes(c, c, half * 0.78)
  canvas.fill(glyph.ring, white, samples(size))
  canvas.fill(glyph.dot, white, samples(size))
  return canvas.raster()
}

/**
 * The compact tile (Windows app icon sizes, the Windows and Linux tray): a blue rounded square filling the canvas
 * with the white glyph, legible on light and dark taskbars alike; `withAlert` adds the badge.
 */
export function tile(size: number, withAlert: boolean): Raster {
  const canvas = new Canvas(size, size)
  const s = samples(size)
  const inset = size >= 48 ? size * 0.04 : 0
  canvas.fill(roundedRect(inset, inset, size - inset, size - inset, size * 0.22), blue, s)
  drawGlyph(canvas, size, (size / 2 - inset) * 0.86, white, withAlert ? alert : undefined, s)
  return canvas.raster()
}

/** The open ring and its dot in `colour`, and the badge (cut out of what is below it) when `badgeColour` is given. */
function drawGlyph(canvas: Canvas, size: number, radius: number, colour: Rgb, badgeColour: Rgb | undefined, s: number): void {
  const glyph = glyphShapes(size / 2, size / 2, radius)
  canvas.fill(glyph.ring, colour, s)
  canvas.fill(glyph.dot, colour, s)
  if (badgeColour) {
    const b = badge(size)
    canvas.clear(circle(b.cx, b.cy, b.r + b.cut), s)
    canvas.fill(circle(b.cx, b.cy, b.r), badgeColour, s)
  }
}

/**
 * The macOS menu bar template image: the glyph alone, black on alpha only, filling a 16 pt box of the 22 pt menu bar
 * (16 px, 32 px at @2x); `withAlert` cuts a notch and puts the badge dot in it. Apple's HIG, Menu bar extras: "Use a
 * template image to represent your menu bar extra" (developer.apple.com/design/human-interface-guidelines/the-menu-bar);
 * macOS tints it for light and dark menu bars and the highlighted state. Electron takes a file whose name ends in
 * "Template" as a template image (electronjs.org/docs/latest/api/native-image#template-image).
 */
export function template(size: number, withAlert: boolean): Raster {
  const canvas = new Canvas(size, size)
  const s = samples(size)
  drawGlyph(canvas, size, size / 2 - size / 32, black, withAlert ? black : undefined, s)
  return canvas.raster()
}

/** PNG bytes for a raster, with fixed settings so the same pixels give the same bytes (see the top). */
export function encodePng(r: Raster): Buffer {
  const png = new PNG({ width: r.width, height: r.height })
  png.data = Buffer.from(r.data)
  return PNG.sync.write(png, { colorType: 6, inputColorType: 6, bitDepth: 8, deflateLevel: 9, deflateStrategy: zlib.Z_RLE, deflateChunkSize: 32 * 1024, filterType: -1 })
}

/**
 * An ICO file, after Microsoft's description of the format ("Icons", learn.microsoft.com/previous-versions/ms997538,
 * and "The evolution of the ICO file format, part 4: PNG images", devblogs.microsoft.com/oldnewthing/20101022-00):
 * an ICONDIR (reserved 0, type 1, count), one 16-byte ICONDIRENTRY an image (width and height as a byte, 0 meaning
 * 256; colour count 0; reserved 0; planes 1; bits per pixel 32; byte size; offset from the file start), then the
 * images. Images under 256 px are 32-bit DIBs: a BITMAPINFOHEADER whose height counts the XOR and AND masks (2 × h),
 * the BGRA rows bottom-up (straight alpha), then the 1-bit AND mask (1 = transparent), rows padded to 32 bits. The
 * 256 px image is a complete PNG (Windows Vista and later read those, and they keep the file small).
 */
export function encodeIco(images: Raster[]): Buffer {
  const blobs = images.map((r) => (r.width >= 256 ? encodePng(r) : dib(r)))
  const header = Buffer.alloc(6 + 16 * images.length)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(images.length, 4)
  let offset = header.length
  images.forEach((r, n) => {
    const e = 6 + 16 * n
    header.writeUInt8(r.width >= 256 ? 0 : r.width, e)
    header.writeUInt8(r.height >= 256 ? 0 : r.height, e + 1)
    header.writeUInt8(0, e + 2)
    header.writeUInt8(0, e + 3)
    header.writeUInt16LE(1, e + 4)
    header.writeUInt16LE(32, e + 6)
    header.writeUInt32LE(blobs[n]!.length, e + 8)
    header.writeUInt32LE(offset, e + 12)
    offset += blobs[n]!.length
  })
  return Buffer.concat([header, ...blobs])
}

function dib(r: Raster): Buffer {
  const { width: w, height: h, data } = r
  const maskRow = Math.ceil(w / 32) * 4
  const out = Buffer.alloc(40 + w * h * 4 + maskRow * h)
  out.writeUInt32LE(40, 0) // biSize
  out.writeInt32LE(w, 4)
  out.writeInt32LE(2 * h, 8) // XOR + AND
  out.writeUInt16LE(1, 12) // biPlanes
  out.writeUInt16LE(32, 14) // biBitCount
  out.writeUInt32LE(0, 16) // BI_RGB
  out.writeUInt32LE(w * h * 4 + maskRow * h, 20) // biSizeImage; the rest (resolution, palette) stays 0
  for (let y = 0; y < h; y++) {
    const row = h - 1 - y // bottom-up
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * 4
      const d = 40 + (row * w + x) * 4
      out[d] = data[s + 2]!
      out[d + 1] = data[s + 1]!
      out[d + 2] = data[s]!
      out[d + 3] = data[s + 3]!
      if (data[s + 3] === 0) out[40 + w * h * 4 + row * maskRow + (x >> 3)]! |= 0x80 >> (x & 7)
    }
  }
  return out
}

/**
 * The sizes in each ICO: the Windows app icon, and the notification area at 100/125/150/200 % display scaling (the
 * small-icon sizes of Electron's nativeImage page, electronjs.org/docs/latest/api/native-image#supported-formats).
 */
export const appIcoSizes = [16, 24, 32, 48, 64, 128, 256] as const
export const trayIcoSizes = [16, 20, 24, 32] as const

/** Every file in resources/icons/, by name, as the generator makes it. */
export function iconFiles(): Record<string, Buffer> {
  return {
    'icon.png': encodePng(appIcon1024()),
    'icon.ico': encodeIco(appIcoSizes.map((s) => tile(s, false))),
    'trayTemplate.png': encodePng(template(16, false)),
    'trayTemplate@2x.png': encodePng(template(32, false)),
    'trayAlertTemplate.png': encodePng(template(16, true)),
    'trayAlertTemplate@2x.png': encodePng(template(32, true)),
    'tray.ico': encodeIco(trayIcoSizes.map((s) => tile(s, false))),
    'tray-alert.ico': encodeIco(trayIcoSizes.map((s) => tile(s, true))),
    'tray.png': encodePng(tile(16, false)),
    'tray@2x.png': encodePng(tile(32, false)),
    'tray-alert.png': encodePng(tile(16, true)),
    'tray-alert@2x.png': encodePng(tile(32, true)),
  }
}

export const iconsDir = fileURLToPath(new URL('../resources/icons/', import.meta.url))

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check')
  for (const [name, bytes] of Object.entries(iconFiles())) {
    const path = join(iconsDir, name)
    if (!check) {
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, bytes)
      continue
    }
    let committed: Buffer | undefined
    try {
      committed = readFileSync(path)
    } catch {
      committed = undefined
    }
    if (!committed?.equals(bytes)) {
      console.error(`resources/icons/${name} is ${committed ? 'stale' : 'missing'}: run npm run icons`)
      process.exitCode = 1
    }
  }
}
