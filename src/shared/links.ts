// Links the window shows. Every host here must also be on the allow-list in src/main/app/external-url.ts.

/** Microsoft Authenticator's store pages. */
export const authenticatorStores = {
  apple: 'https://apps.apple.com/app/microsoft-authenticator/id983156458',
  google: 'https://play.google.com/store/apps/details?id=com.azure.authenticator',
} as const
