// The phone approval page in German (TEP §5), register „Sie“, Microsoft's German terms (genehmigen, Authenticator-App).
import type { ApprovalText } from './en.js'

export const de: ApprovalText = {
  title: 'Einrichtung der Anmeldesicherheit bestätigen',
  organisation: 'Organisation', host: 'Webadresse', account: 'Konto', computer: 'Computername', requested: 'Angefordert',
  warnTitle: 'Fahren Sie nur fort, wenn Sie diesen Code gerade im Unloop-Fenster auf Ihrem Computer gescannt haben.',
  warnBody: 'Wenn Sie diese Seite über eine E-Mail oder SMS geöffnet haben, brechen Sie ab, und schließen Sie diese Seite. Diese Seite fragt nie nach Ihrem Kennwort.',
  number: 'Auf Ihrem Computer angezeigte Zahl', code: 'Aktueller 6-stelliger Code aus Ihrer Authenticator-App',
  approve: 'Genehmigen', deny: 'Das habe ich nicht gestartet',
  wrong_number: { one: 'Diese Zahl stimmt nicht mit der auf Ihrem Computer überein. Noch {n} Versuch.', other: 'Diese Zahl stimmt nicht mit der auf Ihrem Computer überein. Noch {n} Versuche.' },
  invalid_code: 'Dieser Code ist nicht richtig. Prüfen Sie den Code in Ihrer Authenticator-App.',
  code_replayed: 'Dieser Code wurde bereits verwendet. Warten Sie auf den nächsten Code in der App, und geben Sie ihn dann ein.',
  clock_skew: 'Die Uhr Ihres Smartphones geht falsch. Stellen Sie Datum und Uhrzeit auf automatisch ein, und versuchen Sie es dann erneut.',
  locked: 'Zu viele Fehlversuche. Warten Sie eine Weile, und beginnen Sie dann auf Ihrem Computer neu.',
  missing: 'Geben Sie die Zahl und den Code ein.',
  approved: 'Fertig. Kehren Sie zu Ihrem Computer zurück.',
  denied: 'Einrichtung abgebrochen. Wenn Sie sie nicht gestartet haben, informieren Sie Ihre IT-Abteilung.',
  failed: 'Zu viele Fehlversuche. Beginnen Sie auf Ihrem Computer neu.',
  expired: 'Diese Anforderung ist abgelaufen. Beginnen Sie auf Ihrem Computer neu.',
  invalid: 'Dieser Link ist ungültig oder wurde bereits verwendet.',
}
