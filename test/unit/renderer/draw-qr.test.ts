// Drawing a QR code that cannot be drawn resolves to `failed` with its reason: the screen shows an error, not an empty
// frame (issue #17, F6: hooks.ts ignored the rejection of qrcode's promise, so nothing at all was shown).
import { describe, expect, it } from 'vitest'
import { drawQr } from '../../../src/renderer/features/enroll/draw-qr.js'

describe('drawQr', () => {
  it('draws an otpauth URI as a PNG data URL', async () => {
    expect(await drawQr('otpauth://totp/Contoso%20IT:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Contoso%20IT')).toMatchObject({
      state: 'drawn', url: expect.stringMatching(/^data:image\/png;base64,/),
    })
  })

  it('says why when the text is more than one QR code holds (2,331 bytes at error correction M), instead of rejecting', async () => {
    const drawing = drawQr(`otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&x=${'a'.repeat(3000)}`)
    await expect(drawing).resolves.toMatchObject({ state: 'failed', reason: expect.stringMatching(/too big/) })
  })
})
