// A minimal zip writer (deflate, no zip64) for the diagnostics archive: Windows Explorer and macOS Finder open it
// without extra tools. Entries are small text files, so everything is built in memory.
import { crc32, deflateRawSync } from 'node:zlib'

/** One file in the archive. */
export interface ZipEntry {
  name: string
  data: Buffer | string
  date?: Date
}

function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: (Math.max(0, d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  }
}

/** Builds a zip archive of the entries (UTF-8 names). */
export function buildZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    const name = Buffer.from(e.name.replace(/\\/g, '/'), 'utf8')
    const raw = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data
    const packed = deflateRawSync(raw)
    const crc = crc32(raw)
    const { time, date } = dosTime(e.date ?? new Date())
    // The local header and the central directory entry share one run of fields, at offset 4 and 6.
    const fields = (buf: Buffer, at: number) => {
      buf.writeUInt16LE(20, at) // version needed
      buf.writeUInt16LE(0x0800, at + 2) // UTF-8 names
      buf.writeUInt16LE(8, at + 4) // deflate
      buf.writeUInt16LE(time, at + 6)
      buf.writeUInt16LE(date, at + 8)
      buf.writeUInt32LE(crc, at + 10)
      buf.writeUInt32LE(packed.length, at + 14)
      buf.writeUInt32LE(raw.length, at + 18)
      buf.writeUInt16LE(name.length, at + 22)
    }
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    fields(local, 4)
    locals.push(local, name, packed)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4) // version made by
    fields(central, 6)
    central.writeUInt32LE(offset, 42)
    centrals.push(central, name)
    offset += local.length + name.length + packed.length
  }
  const dir = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(dir.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, dir, end])
}
