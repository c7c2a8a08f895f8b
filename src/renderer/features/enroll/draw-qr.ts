// Draws a QR code on this machine (the text never leaves it), and says so when the text cannot be one.
import QRCode from 'qrcode'

/** A QR code being drawn: nothing yet, the image as a data URL, or why it cannot be drawn. */
export type QrDrawing = { state: 'drawing' } | { state: 'drawn'; url: string } | { state: 'failed'; reason: string }

/**
 * Draws `text` as a QR code (TEP §9: error correction M, quiet zone 4). Never rejects: a text the QR cannot hold (over
 * 2,331 bytes at level M) comes back as `failed` with the library's reason, for the screen to show as an error rather
 * than an empty frame.
 */
export async function drawQr(text: string, scale = 6): Promise<Exclude<QrDrawing, { state: 'drawing' }>> {
  try {
    return { state: 'drawn', url: await QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 4, scale }) }
  } catch (error) {
    return { state: 'failed', reason: error instanceof Error ? error.message : String(error) }
  }
}
