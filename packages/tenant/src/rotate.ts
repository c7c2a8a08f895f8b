// Re-sealing after a data key rotation: every sealed value at rest that is not under the primary key is opened with
// the key ring and sealed again with the primary key, in one transaction. A value no key opens is left as it is and
// counted (it can never be read again; the rows it belongs to fail closed).
import type { SecretBox } from './crypto.js'
import type { TenantStore } from './store/types.js'

export interface ResealReport {
  /** Values now sealed with the primary key that were not before. */
  resealed: number
  /** Values already under the primary key. */
  current: number
  /** Values no key of the ring opens, by column. */
  unreadable: Record<string, number>
}

export async function resealAll(store: TenantStore, box: SecretBox): Promise<ResealReport> {
  return store.transaction(async (tx) => {
    const report: ResealReport = { resealed: 0, current: 0, unreadable: {} }
    for (const v of await tx.listSealed()) {
      if (box.isCurrent(v.sealed)) {
        report.current++
        continue
      }
      let plain: string
      try {
        plain = box.open(v.sealed, v.key)
      } catch {
        report.unreadable[v.column] = (report.unreadable[v.column] ?? 0) + 1
        continue
      }
      await tx.putSealed({ ...v, sealed: box.seal(plain, v.key) })
      report.resealed++
    }
    return report
  })
}
