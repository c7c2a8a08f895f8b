// Vitest global setup: one line saying which PostgreSQL the tests use (or why they skip), before any test runs.
import { postgresChoice } from './postgres-server.js'

export default function setup(): void {
  console.log(postgresChoice())
}
