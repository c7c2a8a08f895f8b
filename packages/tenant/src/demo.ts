// The in-memory core the desktop app embeds for its demo tenant (package export `@unloop/tenant/demo`). Nothing here
// reaches SQLite or PostgreSQL, so the Electron main bundle carries neither (docs/architecture.md, refinement 15).

/** The memory store (no native module: it runs inside Electron's main process). */
export { MemoryTenantStore } from './store/memory.js'
/** Seals secrets at rest with the data key (the demo makes a fresh key each start). */
export { SecretBox } from './crypto.js'
/** Starts the TEP server on a store, and registers a device key in it. */
export { addDeviceKey, startTenantServer, type RunningTenant } from './server.js'
