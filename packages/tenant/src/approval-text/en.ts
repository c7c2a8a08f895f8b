// The phone approval page's English text (TEP §5). Every language has the same keys (approval-text/index.ts).

/** A counted text: one form per CLDR plural category of the language (`Intl.PluralRules`), `other` always. */
export type PluralText = { other: string } & Partial<Record<Exclude<Intl.LDMLPluralRule, 'other'>, string>>

export const en = {
  title: 'Confirm your sign-in security setup',
  organisation: 'Organisation', host: 'Web address', account: 'Account', computer: 'Computer', requested: 'Requested',
  warnTitle: 'Only continue if you just scanned this from the Unloop window on your computer.',
  warnBody: 'If you opened this from an e-mail or a text message, stop: close this page. This page never asks for your password.',
  number: 'Number shown on your computer', code: 'Current 6-digit code from your authenticator app',
  approve: 'Approve', deny: "I didn't start this",
  wrong_number: { one: 'That number does not match the one on your computer. {n} attempt left.', other: 'That number does not match the one on your computer. {n} attempts left.' },
  invalid_code: 'That code is not correct. Check the code in your authenticator app.',
  code_replayed: 'That code was already used. Wait for the next code in the app, then enter it.',
  clock_skew: "Your phone's clock is off. Set its date and time to automatic, then try again.",
  locked: 'Too many failed attempts. Wait a while, then start again on your computer.',
  missing: 'Enter the number and the code.',
  approved: 'Done. Go back to your computer.',
  denied: 'Setup cancelled. If you did not start this, tell your IT department.',
  failed: 'Too many wrong attempts. Start again on your computer.',
  expired: 'This request has expired. Start again on your computer.',
  invalid: 'This link is not valid or has already been used.',
}

/** The keys every language of the approval page has. */
export type ApprovalText = { [K in keyof typeof en]: (typeof en)[K] extends string ? string : PluralText }
