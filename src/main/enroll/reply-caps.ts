// How many bytes of each tenant reply the client reads before it refuses it (issue #17, F3).
//
// Each cap is above the largest reply the protocol allows for its route — every string at its cap in
// src/shared/tep/string-caps.ts, every character escaped as JSON at its longest (`\u0001`, six bytes) — and at least
// forty times what the reference server sends (measured on a full enrolment: discovery 557 B, create 808 B, verify
// 33 B, number match 214 B, poll 50 B, a problem 202 B). Anything bigger is not a TEP reply, and reading it would only
// cost memory: 64 KiB is the most one request can cost, whatever the tenant sends.

const KiB = 1024

/** The byte cap of each kind of tenant reply. */
export const replyCaps = {
  /** `GET /.well-known/tep-configuration`: largest legal ~7.5 KB (name 120, support URL 2,048, lists of 16). */
  discovery: 32 * KiB,
  /** `POST /v1/enrollments`: largest legal ~10 KB (UPN, display name, the otpauth URI and its manual entry; or a pass and its link). */
  create: 64 * KiB,
  /** `GET /v1/enrollments/{id}`: largest legal ~6.5 KB (a reason of 1,024). */
  read: 16 * KiB,
  /** `POST …/verify`: one state, ~40 B. */
  verify: 8 * KiB,
  /** `POST …/number-match`: largest legal ~4.5 KB (the approval link, 2,048). */
  numberMatch: 16 * KiB,
  /** `GET …/number-match/{id}`: states and a count, ~120 B. */
  poll: 8 * KiB,
  /** `DELETE /v1/enrollments/{id}`: nothing the client uses. */
  cancel: 8 * KiB,
  /** Any non-2xx body (problem+json, or a proxy's page): the type URI (2,048), title and detail, a trace id. */
  problem: 16 * KiB,
} as const

/** The kind of reply a request expects, naming its cap. */
export type ReplyKind = Exclude<keyof typeof replyCaps, 'problem'>
