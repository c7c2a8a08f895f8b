// Web shell entry: install the HTTP bridge, then start the very same renderer.
import { installBridge } from './bridge.js'

installBridge()
await import('../renderer/main.js')
