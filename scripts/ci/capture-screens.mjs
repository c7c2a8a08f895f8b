// CI only (the Windows and macOS package jobs of .github/workflows/ci.yml): pictures for docs/deployment/README.md
// ("What employees see"), captured from the installed app — the first screen from the real window, the whole screen a
// few times after a simulated failure (the OS's notification), and the tray menu popped up — into reports/screens/.
// UNLOOP_PACKAGED_EXE names the installed executable. Documentation, not a test: the job step never fails on it.
import { _electron as electron } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
const out = resolve('reports/screens')
mkdirSync(out, { recursive: true })
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
// The whole screen, by the OS: a toast, the notification area and a tray menu are outside the app's windows.
function screen(name) {
  const file = join(out, `${name}.png`)
  try {
    if (process.platform === 'win32') {
      const ps = 'Add-Type -AssemblyName System.Windows.Forms, System.Drawing; $b = [System.Windows.Forms.SystemInformation]::VirtualScreen; ' +
        '$bmp = New-Object System.Drawing.Bitmap $b.Width, $b.Height; $g = [System.Drawing.Graphics]::FromImage($bmp); ' +
        `$g.CopyFromScreen($b.Left, $b.Top, 0, 0, $bmp.Size); $bmp.Save('${file}', [System.Drawing.Imaging.ImageFormat]::Png); $g.Dispose(); $bmp.Dispose()`
      execFileSync('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', ps], { timeout: 30_000 })
    } else execFileSync('screencapture', ['-x', file], { timeout: 30_000 })
    console.log(`captured ${file}`)
  } catch (e) {
    console.log(`::warning::no screen capture for ${name}: ${e.message}`)
  }
}
const app = await electron.launch({ executablePath: process.env.UNLOOP_PACKAGED_EXE, args: [], env: { ...process.env, UNLOOP_E2E: '1' }, timeout: 120_000 })
try {
  const win = await app.firstWindow()
  await win.locator('header select').selectOption('en')
  await win.locator('h1').first().waitFor()
  await sleep(1_000)
  await win.screenshot({ path: join(out, 'first-screen.png') })
  // The window out of the way (a tray app keeps running without it), then a failure as the demo simulates it.
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().forEach((w) => w.close()))
  await sleep(1_000)
  await app.evaluate(() => globalThis.__unloop.simulateFailure())
  for (let i = 1; i <= 6; i++) {
    await sleep(1_000)
    screen(`notification-${i}`)
  }
  await sleep(8_000)
  // From a timer: macOS tracks a status-item menu modally on the main thread, which would hold this call.
  await app.evaluate(() => void setTimeout(() => globalThis.__unloop.tray.popUpContextMenu(), 100))
  await sleep(2_000)
  screen('tray-menu')
} finally {
  // Gone before the next step, which starts the installed app again (a second copy would just hand over to it).
  const child = app.process()
  await Promise.race([app.close().catch(() => undefined), sleep(10_000)])
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r))
    child.kill()
    await Promise.race([exited, sleep(10_000)])
  }
}
