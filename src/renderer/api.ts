// The only place that touches `window.unloop` (provided by the preload, or by the web shell's bridge).
import type { UnloopApi } from '../preload/api.js'

declare global {
  interface Window {
    unloop: UnloopApi
  }
}

/** The page's API. */
export const api = (): UnloopApi => window.unloop
