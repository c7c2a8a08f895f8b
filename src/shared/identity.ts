// Unloop's identity: one app id for electron-builder appId, Windows AppUserModelID, macOS bundle id and policy domain.

/** The app id. */
export const APP_ID = 'dev.unloop.app'
/** The product name. */
export const PRODUCT_NAME = 'Unloop'
