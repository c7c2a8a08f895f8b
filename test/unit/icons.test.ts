// The platform icons (resources/icons/, docs/icons.md): checked in exactly as scripts/icons.ts draws them, and each
// file keeps its platform's rules: sizes, template images black on alpha, ICO files that parse (directory, entries of
// the right sizes, images that decode), the app icon's transparent corners (the squircle is its shape on macOS).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { appIcoSizes, iconFiles, iconsDir, trayIcoSizes } from '../../scripts/icons.js'

interface Image {
  width: number
  height: number
  data: Uint8Array
}

const committed = (name: string) => readFileSync(join(iconsDir, name))

/** A PNG's IHDR (width, height, bit depth, colour type) and its decoded RGBA pixels. */
function png(bytes: Buffer): Image & { depth: number; colourType: number } {
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR')
  const decoded = PNG.sync.read(bytes)
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), depth: bytes[24]!, colourType: bytes[25]!, data: decoded.data }
}

/** The images of an ICO file, after Microsoft's ICONDIR / ICONDIRENTRY layout (see encodeIco in scripts/icons.ts). */
function ico(bytes: Buffer): (Image & { format: 'png' | 'dib' })[] {
  expect(bytes.readUInt16LE(0), 'reserved').toBe(0)
  expect(bytes.readUInt16LE(2), 'type 1 = icon').toBe(1)
  const count = bytes.readUInt16LE(4)
  expect(count).toBeGreaterThan(0)
  let end = 6 + 16 * count
  return Array.from({ length: count }, (_, n) => {
    const e = 6 + 16 * n
    const width = bytes[e] || 256
    const height = bytes[e + 1] || 256
    expect(bytes[e + 2], 'colour count').toBe(0)
    expect(bytes[e + 3], 'reserved').toBe(0)
    expect(bytes.readUInt16LE(e + 4), 'planes').toBe(1)
    expect(bytes.readUInt16LE(e + 6), 'bits per pixel').toBe(32)
    const size = bytes.readUInt32LE(e + 8)
    const offset = bytes.readUInt32LE(e + 12)
    expect(offset, 'images follow the directory, in order, without overlap').toBe(end)
    end = offset + size
    expect(end).toBeLessThanOrEqual(bytes.length)
    const blob = bytes.subarray(offset, end)
    if (blob.subarray(0, 8).toString('hex') === '89504e470d0a1a0a') {
      const image = png(Buffer.from(blob))
      expect([image.width, image.height]).toEqual([width, height])
      return { ...image, format: 'png' as const }
    }
    // A DIB: BITMAPINFOHEADER, height doubled (XOR + AND), 32 bpp BI_RGB, BGRA rows bottom-up, then the AND mask.
    expect(blob.readUInt32LE(0), 'biSize').toBe(40)
    expect([blob.readInt32LE(4), blob.readInt32LE(8)]).toEqual([width, 2 * height])
    expect(blob.readUInt16LE(12), 'biPlanes').toBe(1)
    expect(blob.readUInt16LE(14), 'biBitCount').toBe(32)
    expect(blob.readUInt32LE(16), 'BI_RGB').toBe(0)
    const maskRow = Math.ceil(width / 32) * 4
    expect(blob.length).toBe(40 + width * height * 4 + maskRow * height)
    const data = new Uint8Array(width * height * 4)
    const maskErrors: string[] = []
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const s = 40 + ((height - 1 - y) * width + x) * 4
        const d = (y * width + x) * 4
        data.set([blob[s + 2]!, blob[s + 1]!, blob[s]!, blob[s + 3]!], d)
        const transparent = (blob[40 + width * height * 4 + (height - 1 - y) * maskRow + (x >> 3)]! & (0x80 >> (x & 7))) !== 0
        if (transparent !== (data[d + 3] === 0)) maskErrors.push(`${x},${y}`)
      }
    }
    expect(maskErrors, 'AND mask bits (1 = transparent) match the alpha').toEqual([])
    return { width, height, data, format: 'dib' as const }
  })
}

const alphas = (image: Image) => Array.from({ length: image.width * image.height }, (_, i) => image.data[i * 4 + 3]!)
const pixel = (image: Image, x: number, y: number) => Array.from(image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4))
/** Some fully opaque and some fully transparent pixels: a glyph, not an empty or a solid square. */
function expectDrawn(image: Image, label: string) {
  const a = alphas(image)
  expect(a.filter((v) => v === 255).length, `${label}: opaque pixels`).toBeGreaterThan(image.width)
  expect(a.some((v) => v === 0), `${label}: transparent pixels`).toBe(true)
}
/** Pixels of the alert badge colour (a deep orange) in the top right quarter. */
const orangeTopRight = (image: Image) => {
  let n = 0
  for (let y = 0; y < image.height / 2; y++) for (let x = image.width / 2; x < image.width; x++) {
    const [r, g, b, a] = pixel(image, x, y)
    if (a! > 200 && r! > 200 && g! < 140 && b! < 80) n++
  }
  return n
}

let generated: Record<string, Buffer>
beforeAll(() => {
  generated = iconFiles()
})

describe('platform icons', () => {
  it('are checked in exactly as scripts/icons.ts draws them, and nothing else is in resources/icons (run `npm run icons`)', () => {
    expect(readdirSync(iconsDir).sort()).toEqual(Object.keys(generated).sort())
    for (const [name, bytes] of Object.entries(generated)) expect(committed(name).equals(bytes), `${name} differs from the generator's output`).toBe(true)
  })

  it('the generator is deterministic (same bytes twice)', () => {
    const again = iconFiles()
    for (const [name, bytes] of Object.entries(generated)) expect(again[name]!.equals(bytes), name).toBe(true)
  })

  it('icon.png: 1024×1024 8-bit RGBA, the squircle opaque in the middle, the corners fully transparent', () => {
    // The design choice: Apple's grid (an 824 px body on the 1024 canvas), so the corners are the margin and must be
    // clear; macOS takes the icon's shape from its alpha and electron-builder needs at least 512 px to make the .icns.
    const image = png(committed('icon.png'))
    expect([image.width, image.height, image.depth, image.colourType]).toEqual([1024, 1024, 8, 6])
    for (const [x, y] of [[0, 0], [1023, 0], [0, 1023], [1023, 1023], [120, 120], [903, 120]] as const) expect(pixel(image, x, y)[3], `corner ${x},${y}`).toBe(0)
    for (const [x, y] of [[512, 150], [150, 512], [512, 512]] as const) expect(pixel(image, x, y)[3], `body ${x},${y}`).toBe(255)
    // The glyph is white on the blue: the ring crosses the horizontal centre line on the left.
    const left = Array.from({ length: 400 }, (_, x) => pixel(image, 112 + x, 512))
    expect(left.some(([r, g, b]) => r === 255 && g === 255 && b === 255)).toBe(true)
    expect(left.some(([r, , b]) => b! > 150 && r! < 80)).toBe(true)
  })

  it('icon.ico: the Windows app icon sizes, DIBs under 256 px and a PNG at 256', () => {
    const images = ico(committed('icon.ico'))
    expect(images.map((i) => i.width)).toEqual([...appIcoSizes])
    expect(images.map((i) => i.format)).toEqual(appIcoSizes.map((s) => (s >= 256 ? 'png' : 'dib')))
    for (const image of images) expectDrawn(image, `icon.ico ${image.width}`)
  })

  it('tray.ico and tray-alert.ico: 16, 20, 24 and 32 px (100–200 % scaling), opaque tiles; the alert one has the badge', () => {
    for (const name of ['tray.ico', 'tray-alert.ico']) {
      const images = ico(committed(name))
      expect(images.map((i) => i.width), name).toEqual([...trayIcoSizes])
      expect(images.map((i) => i.height), name).toEqual([...trayIcoSizes])
      for (const image of images) {
        expectDrawn(image, `${name} ${image.width}`)
        // A solid tile behind the glyph (legible on light and dark taskbars): the left edge's middle is opaque blue.
        const [r, g, b, a] = pixel(image, 1, image.height / 2)
        expect([a, b! > 150 && r! < 80 && g! < 140], `${name} ${image.width} tile`).toEqual([255, true])
        expect(orangeTopRight(image) > 0, `${name} ${image.width} badge`).toBe(name === 'tray-alert.ico')
      }
    }
  })

  it('macOS menu bar templates: 16 and 32 px (@2x), black on alpha only, the alert one with a notch and a dot', () => {
    for (const base of ['trayTemplate', 'trayAlertTemplate']) {
      for (const [suffix, size] of [['', 16], ['@2x', 32]] as const) {
        const name = `${base}${suffix}.png`
        expect(name, 'Electron reads a name ending in Template as a template image').toMatch(/Template(@2x)?\.png$/)
        const image = png(committed(name))
        expect([image.width, image.height, image.colourType], name).toEqual([size, size, 6])
        const coloured = Array.from({ length: size * size }, (_, i) => i).filter((i) => image.data[i * 4]! | image.data[i * 4 + 1]! | image.data[i * 4 + 2]!)
        expect(coloured, `${name}: pixels whose RGB is not 0,0,0`).toEqual([])
        expectDrawn(image, name)
      }
    }
    // The alert variant differs only around the badge, top right.
    for (const suffix of ['', '@2x']) {
      const plain = png(committed(`trayTemplate${suffix}.png`))
      const alert = png(committed(`trayAlertTemplate${suffix}.png`))
      const changed = alphas(plain).flatMap((a, i) => (a !== alphas(alert)[i] ? [i] : []))
      expect(changed.length).toBeGreaterThan(0)
      for (const i of changed) expect([i % plain.width >= plain.width / 2, Math.floor(i / plain.width) < plain.height / 2], `changed pixel ${i}`).toEqual([true, true])
    }
  })

  it('Linux tray PNGs: 16 and 32 px colour tiles, the alert ones with the badge', () => {
    for (const [name, size] of [['tray.png', 16], ['tray@2x.png', 32], ['tray-alert.png', 16], ['tray-alert@2x.png', 32]] as const) {
      const image = png(committed(name))
      expect([image.width, image.height, image.colourType], name).toEqual([size, size, 6])
      expectDrawn(image, name)
      expect(orangeTopRight(image) > 0, `${name} badge`).toBe(name.startsWith('tray-alert'))
    }
  })
})
